// The open requests on a map: the home, each requested area as its circle or
// polygon, and each camera's view radius. Leaflet is bundled; tiles come from the
// same provider Home Assistant's own map uses, light or dark with the theme.
import L from "leaflet";
import leafletCss from "leaflet/dist/leaflet.css";
import { LitElement, css, html, unsafeCSS, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Camera, LatLon, RequestView } from "./types";

const TILES = "https://basemaps.cartocdn.com/{style}/{z}/{x}/{y}{r}.png";
const ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>, &copy; <a href="https://carto.com/attributions">CARTO</a>';

@customElement("nr-map")
export class RequestMap extends LitElement {
  @property({ attribute: false }) home?: LatLon & { radius_m: number };
  @property({ attribute: false }) cameras: Camera[] = [];
  @property({ attribute: false }) requests: RequestView[] = [];
  @property({ type: Boolean }) dark = false;
  @property({ attribute: false }) labels: { home: string; camera: string } = {
    home: "Home",
    camera: "Camera",
  };
  @property({ attribute: false }) selected?: string;

  private map?: L.Map;
  private tiles?: L.TileLayer;
  private shapes?: L.FeatureGroup;
  private fitted = "";

  static styles = [
    unsafeCSS(leafletCss),
    css`
      :host {
        display: block;
        height: 100%;
        min-height: 240px;
      }
      #map {
        height: 100%;
        min-height: inherit;
        border-radius: inherit;
        background: var(--secondary-background-color, #e5e3df);
      }
      .leaflet-container {
        font: inherit;
      }
    `,
  ];

  render() {
    return html`<div id="map"></div>`;
  }

  firstUpdated() {
    const element = this.renderRoot.querySelector("#map") as HTMLElement;
    // A view first: shapes need the map's projection the moment they are added.
    // Canvas, not one SVG element per shape: a map of 200 areas stays quick.
    this.map = L.map(element, {
      zoomControl: true,
      attributionControl: true,
      preferCanvas: true,
    }).setView(
      [0, 0],
      2,
    );
    this.shapes = L.featureGroup().addTo(this.map);
    new ResizeObserver(() => this.map?.invalidateSize()).observe(element);
  }

  updated(changed: PropertyValues) {
    if (!this.map) return;
    if (changed.has("dark") || !this.tiles) {
      this.tiles?.remove();
      this.tiles = L.tileLayer(TILES, {
        style: this.dark ? "dark_all" : "light_all",
        attribution: ATTRIBUTION,
        maxZoom: 19,
        subdomains: "abcd",
      } as L.TileLayerOptions).addTo(this.map);
    }
    this.draw();
  }

  private draw() {
    const shapes = this.shapes!;
    shapes.clearLayers();
    let areas = 0;
    const style = getComputedStyle(this);
    const accent = style.getPropertyValue("--accent-color").trim() || "#ff9800";
    const primary = style.getPropertyValue("--primary-color").trim() || "#03a9f4";
    const text = style.getPropertyValue("--primary-text-color").trim() || "#212121";
    for (const camera of this.cameras) {
      if (!camera.location || camera.policy === "never") continue;
      const at = L.latLng(camera.location.latitude, camera.location.longitude);
      if (camera.view_radius_m > 0) {
        L.circle(at, {
          radius: camera.view_radius_m,
          color: text,
          weight: 1,
          dashArray: "4 4",
          fillOpacity: 0.05,
        })
          .bindTooltip(`${this.labels.camera}: ${camera.name}`)
          .addTo(shapes);
      }
      L.circleMarker(at, { radius: 5, color: text, weight: 2, fillOpacity: 0.8 })
        .bindTooltip(camera.name)
        .addTo(shapes);
    }
    for (const request of this.requests) {
      const area = request.area;
      if (!area) continue;
      const chosen = request.key === this.selected;
      const options: L.PathOptions = {
        color: accent,
        weight: chosen ? 4 : 2,
        fillOpacity: chosen ? 0.3 : 0.15,
      };
      const label = request.incident?.case_number || request.request_id || "";
      const shape =
        area.type === "circle"
          ? L.circle([area.latitude, area.longitude], { ...options, radius: area.radius_m })
          : L.polygon(area.points.map(([lat, lon]) => L.latLng(lat, lon)), options);
      shape
        .bindTooltip(label)
        .on("click", () =>
          this.dispatchEvent(
            new CustomEvent("request-selected", { detail: request, bubbles: true, composed: true }),
          ),
        )
        .addTo(shapes);
      areas += 1;
    }
    // What is drawn, for people with a screen reader and for the browser tests.
    this.dataset.areas = String(areas);
    this.dataset.cameras = String(
      this.cameras.filter((c) => c.location && c.policy !== "never").length,
    );
    this.dataset.home = this.home ? "1" : "0";
    if (this.home) {
      const home = L.latLng(this.home.latitude, this.home.longitude);
      L.circle(home, {
        radius: Math.max(this.home.radius_m, 10),
        color: primary,
        weight: 2,
        fillOpacity: 0.3,
      })
        .bindTooltip(this.labels.home, { permanent: false })
        .addTo(shapes);
      L.circleMarker(home, { radius: 6, color: primary, fillOpacity: 1 }).addTo(shapes);
    }
    // Fit once per set of requests, so an update never undoes the user's zoom.
    const signature = this.requests.map((r) => r.key).join("|");
    if (signature === this.fitted) return;
    this.fitted = signature;
    const bounds = shapes.getBounds();
    if (bounds.isValid()) {
      this.map!.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    } else {
      this.map!.setView([0, 0], 2);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "nr-map": RequestMap;
  }
}
