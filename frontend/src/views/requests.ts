// Open requests: a list beside (or, on a phone, under) a map of the home, each
// requested area and each camera's view radius.
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { countdown, formatDistance, formatWindow } from "../format";
import { icon, navigate } from "../ha";
import type { Localizer } from "../localize";
import "../map";
import { controls, shared } from "../styles";
import type { FeedView, Hass, Overview, RequestView } from "../types";

@customElement("nr-requests-view")
export class RequestsView extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ attribute: false }) l!: Localizer;
  @property({ attribute: false }) overview!: Overview;
  @property() prefix = "";
  @property({ type: Boolean }) narrow = false;
  @state() private now = Date.now();
  private timer?: number;
  private painted = false;

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      this.now = Date.now();
    }, 30_000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  protected updated(): void {
    if (this.painted) return;
    this.painted = true;
    // The first list and map on screen: the panel's "first render".
    const map = this.renderRoot.querySelector("nr-map");
    Promise.resolve(map?.updateComplete).then(() =>
      requestAnimationFrame(() => {
        performance.mark("nr-panel-rendered");
        performance.measure("nr-panel-first-render", "nr-panel-connected", "nr-panel-rendered");
      }),
    );
  }

  private open(request: RequestView) {
    navigate(
      `${this.prefix}/request/${request.entry_id}/${encodeURIComponent(request.request_id ?? "")}`,
    );
  }

  render() {
    const feeds = this.overview.feeds.filter((feed) => feed.permissions.view);
    const requests = feeds.flatMap((feed) => feed.requests ?? []);
    const first = feeds[0];
    return html`
      ${feeds.map((feed) => this.renderFeedNotices(feed))}
      <div class="layout ${this.narrow ? "narrow" : ""}">
        <section class="list" aria-label=${this.l.t("requests.open")}>
          <h2>
            ${this.l.t("requests.count", { count: requests.length })}
          </h2>
          ${requests.length
            ? feeds.map((feed) => (feed.requests ?? []).map((r) => this.renderRow(feed, r)))
            : html`<div class="card"><div class="card-content secondary">
                ${this.l.t("requests.none")}
              </div></div>`}
        </section>
        ${first
          ? html`<section class="card map" aria-label=${this.l.t("requests.map")}>
              <nr-map
                .home=${first.home}
                .cameras=${feeds.flatMap((feed) => feed.cameras ?? [])}
                .requests=${requests}
                .dark=${Boolean(this.hass.themes?.darkMode)}
                .labels=${{ home: this.l.t("map.home"), camera: this.l.t("map.camera") }}
                @request-selected=${(ev: CustomEvent<RequestView>) => this.open(ev.detail)}
              ></nr-map>
            </section>`
          : nothing}
      </div>
    `;
  }

  private renderFeedNotices(feed: FeedView) {
    return html`${feed.on_hold
      ? html`<div class="notice warn">${this.l.t("requests.on_hold", { publisher: feed.publisher.name })}</div>`
      : nothing}
    ${feed.paused
      ? html`<div class="notice">${this.l.t("requests.paused", { publisher: feed.publisher.name })}</div>`
      : nothing}`;
  }

  private renderRow(feed: FeedView, request: RequestView) {
    const l = this.l;
    const incident = request.incident;
    return html`<a
      class="card row"
      href=${`${this.prefix}/request/${request.entry_id}/${encodeURIComponent(request.request_id ?? "")}`}
      @click=${(ev: MouseEvent) => {
        ev.preventDefault();
        this.open(request);
      }}
    >
      <div class="card-content">
        <div class="head">
          <span class="incident">${incident ? l.label("incident_types", incident.type) : request.request_id}</span>
          ${request.verified
            ? html`<span class="badge ok">${icon("mdi:check-decagram")}${l.t("publisher.verified")}</span>`
            : html`<span class="badge bad">${icon("mdi:alert-decagram")}${l.t("publisher.unverified")}</span>`}
        </div>
        <div class="secondary">
          ${feed.publisher.name}${incident?.case_number
            ? html` · ${l.t("request.case", { case: incident.case_number })}`
            : nothing}
        </div>
        ${request.window
          ? html`<div>${formatWindow(this.hass, request.window.start, request.window.end)}</div>`
          : nothing}
        <div class="meta secondary">
          ${request.distance_to_area_m !== undefined
            ? html`<span>${request.distance_to_area_m === 0
                ? l.t("request.home_inside")
                : l.t("request.distance_short", {
                    distance: formatDistance(this.hass, l, request.distance_to_area_m),
                  })}</span>`
            : nothing}
          ${request.expires_at
            ? html`<span>${countdown(l, request.expires_at, this.now)}</span>`
            : nothing}
        </div>
      </div>
    </a>`;
  }

  static styles = [
    shared,
    controls,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
        gap: 16px;
        align-items: start;
      }
      .layout.narrow {
        grid-template-columns: 1fr;
      }
      .layout.narrow .map {
        order: -1;
        height: 260px;
        position: static;
      }
      .map {
        height: calc(100vh - 180px);
        min-height: 320px;
        position: sticky;
        top: 16px;
        overflow: hidden;
        margin: 0;
      }
      a.row {
        text-decoration: none;
        color: inherit;
        cursor: pointer;
      }
      a.row:hover,
      a.row:focus-visible {
        border-color: var(--primary-color);
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .incident {
        font-size: 18px;
        font-weight: 500;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin-top: 4px;
      }
      h2 {
        margin: 0 0 12px;
      }
    `,
  ];
}
