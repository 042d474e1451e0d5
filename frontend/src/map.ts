// The open requests on a map: the home, each requested area as its circle or
// polygon, and each camera's view: a cone where the owner set the direction it
// faces, else its view radius. Leaflet is bundled; tiles come from the
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
    let polygons = 0;
    let cones = 0;
    const style = getComputedStyle(this);
    const accent = style.getPropertyValue("--accent-color").trim() || "#ff9800";
    const primary = style.getPropertyValue("--primary-color").trim() || "#03a9f4";
    const text = style.getPropertyValue("--primary-text-color").trim() || "#212121";
    for (const camera of this.cameras) {
      if (!camera.location || camera.policy === "never") continue;
      const at = L.latLng(camera.location.latitude, camera.location.longitude);
      if (camera.view_radius_m > 0) {
        const view: L.PathOptions = { color: text, weight: 1, dashArray: "4 4", fillOpacity: 0.08 };
        const looks = camera.view_direction;
        (looks !== null && camera.view_angle < 360
          ? L.polygon(sector(at, camera.view_radius_m, looks, camera.view_angle), view)
          : L.circle(at, { ...view, radius: camera.view_radius_m })
        )
          .bindTooltip(`${this.labels.camera}: ${camera.name}`)
          .addTo(shapes);
        if (looks !== null && camera.view_angle < 360) cones += 1;
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
      if (area.type === "polygon") polygons += 1;
    }
    // What is drawn, for people with a screen reader and for the browser tests.
    this.dataset.areas = String(areas);
    this.dataset.cameras = String(
      this.cameras.filter((c) => c.location && c.policy !== "never").length,
    );
    this.dataset.polygons = String(polygons);
    this.dataset.cones = String(cones);
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

const EARTH_RADIUS_M = 6_371_008.8;

/** A camera's view: its position, out to `radius` metres, `angle` wide around
 * the compass `bearing`, as the polygon's corners (one every few degrees). */
export const sector = (
  at: L.LatLng,
  radius: number,
  bearing: number,
  angle: number,
): L.LatLng[] => {
  const rad = Math.PI / 180;
  const lat1 = at.lat * rad;
  const lon1 = at.lng * rad;
  const distance = radius / EARTH_RADIUS_M;
  const steps = Math.max(2, Math.ceil(angle / 5));
  const points = [at];
  for (let i = 0; i <= steps; i += 1) {
    const theta = (bearing - angle / 2 + (angle * i) / steps) * rad;
    const lat2 = Math.asin(
      Math.sin(lat1) * Math.cos(distance) + Math.cos(lat1) * Math.sin(distance) * Math.cos(theta),
    );
    const lon2 =
      lon1 +
      Math.atan2(
        Math.sin(theta) * Math.sin(distance) * Math.cos(lat1),
        Math.cos(distance) - Math.sin(lat1) * Math.sin(lat2),
      );
    points.push(L.latLng(lat2 / rad, lon2 / rad));
  }
  return points;
};

declare global {
  interface HTMLElementTagNameMap {
    "nr-map": RequestMap;
  }
}
