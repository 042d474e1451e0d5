// <neighborhood-requests-panel>: the "Video requests" sidebar panel.
//
// One live subscription (`neighborhood_requests/panel/subscribe`) feeds every view;
// the request view also reads its request again whenever that changes, so a
// request decided elsewhere, withdrawn or expired while it is open says so.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { subscribeOverview, wsError } from "./api";
import { defined, loadHaElements, navigate } from "./ha";
import { Localizer } from "./localize";
import { shared } from "./styles";
import type { Hass, Overview, Route } from "./types";
import "./views/history";
import "./views/report";
import "./views/request";
import "./views/requests";
import "./views/telegram";

type Tab = "requests" | "history" | "report" | "telegram";
const TABS: Tab[] = ["requests", "history", "report", "telegram"];

@customElement("neighborhood-requests-panel")
export class NeighborhoodRequestsPanel extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ type: Boolean, reflect: true }) narrow = false;
  @property({ attribute: false }) route?: Route;
  @property({ attribute: false }) panel?: unknown;

  @state() private overview?: Overview;
  @state() private error?: string;
  @state() private localizer?: Localizer;
  @state() private ready = false;
  private unsubscribe?: Promise<() => Promise<void>>;

  connectedCallback(): void {
    super.connectedCallback();
    // bench/panel_bench.py measures from here to the first painted list.
    performance.clearMarks("nr-panel-connected");
    performance.mark("nr-panel-connected");
    if (this.hass && !this.unsubscribe) this.subscribe();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.then((stop) => stop()).catch(() => undefined);
    this.unsubscribe = undefined;
  }

  protected willUpdate(changed: PropertyValues): void {
    if (!this.hass) return;
    const language = this.hass.locale?.language || this.hass.language;
    if (!this.localizer || (changed.has("hass") && this.localizer.language !== language)) {
      const localizer = new Localizer(this.hass);
      if (!this.localizer || localizer.language !== this.localizer.language) {
        this.localizer = localizer;
        localizer.loadServerLabels(this.hass).then(() => this.requestUpdate());
      }
    }
    if (!this.unsubscribe && this.isConnected) this.subscribe();
  }

  protected firstUpdated(): void {
    // Render at once with what the browser has; Home Assistant's elements
    // replace the plain controls as soon as they are defined.
    loadHaElements().then(() => {
      this.ready = true;
    });
  }

  private subscribe(): void {
    this.unsubscribe = subscribeOverview(this.hass, (overview) => {
      this.overview = overview;
      this.error = undefined;
    });
    this.unsubscribe.catch((err) => {
      this.error = wsError(err).message;
      this.unsubscribe = undefined;
    });
  }

  private get parts(): string[] {
    return (this.route?.path ?? "").split("/").filter(Boolean);
  }

  private get tab(): Tab {
    const first = this.parts[0];
    if (first === "request") return "requests";
    return (TABS as string[]).includes(first) ? (first as Tab) : "requests";
  }

  private allowedTabs(): Tab[] {
    const feeds = this.overview?.feeds ?? [];
    const any = (permission: keyof (typeof feeds)[number]["permissions"]) =>
      feeds.some((feed) => feed.permissions[permission]);
    const tabs: Tab[] = [];
    if (any("view")) tabs.push("requests");
    if (any("report")) tabs.push("history");
    if (any("report") || any("audit")) tabs.push("report");
    if (any("link_self") || any("manage_links")) tabs.push("telegram");
    return tabs;
  }

  render() {
    const l = this.localizer;
    if (!this.hass || !l) return nothing;
    const prefix = this.route?.prefix ?? "/neighborhood-requests";
    const tabs = this.allowedTabs();
    const tab = this.tab;
    return html`
      <div class="toolbar">
        ${defined("ha-menu-button")
          ? html`<ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>`
          : nothing}
        <div class="title">${l.t("panel.title")}</div>
      </div>
      ${tabs.length > 1
        ? html`<nav class="tabs" role="tablist">
            ${tabs.map(
              (name) => html`<a
                role="tab"
                href=${`${prefix}/${name === "requests" ? "" : name}`}
                aria-selected=${name === tab ? "true" : "false"}
                class=${name === tab ? "active" : ""}
                @click=${(ev: MouseEvent) => {
                  ev.preventDefault();
                  navigate(`${prefix}/${name === "requests" ? "" : name}`);
                }}
                >${l.t(`tab.${name}`)}</a
              >`,
            )}
          </nav>`
        : nothing}
      <main class=${`${this.narrow ? "narrow" : ""} ${this.ready ? "ready" : ""}`}>${this.renderView(l, prefix, tabs)}</main>
    `;
  }

  private renderView(l: Localizer, prefix: string, tabs: Tab[]) {
    if (this.error) {
      return html`<div class="notice error">${this.error}</div>`;
    }
    const overview = this.overview;
    if (!overview) {
      return html`<div class="loading secondary">${l.t("panel.loading")}</div>`;
    }
    if (!overview.feeds.length) {
      return html`<div class="card"><div class="card-content">
        <h2>${l.t("panel.not_allowed_title")}</h2>
        <p>${l.t("panel.not_allowed")}</p>
      </div></div>`;
    }
    const parts = this.parts;
    if (parts[0] === "request" && parts.length >= 3) {
      return html`<nr-request-view
        .hass=${this.hass}
        .l=${l}
        .overview=${overview}
        .entryId=${parts[1]}
        .requestId=${decodeURIComponent(parts.slice(2).join("/"))}
        .prefix=${prefix}
        .narrow=${this.narrow}
      ></nr-request-view>`;
    }
    const tab = tabs.includes(this.tab) ? this.tab : tabs[0];
    switch (tab) {
      case "history":
        return html`<nr-history-view .hass=${this.hass} .l=${l} .overview=${overview}
          .prefix=${prefix}></nr-history-view>`;
      case "report":
        return html`<nr-report-view .hass=${this.hass} .l=${l} .overview=${overview}></nr-report-view>`;
      case "telegram":
        return html`<nr-telegram-view .hass=${this.hass} .l=${l} .overview=${overview}></nr-telegram-view>`;
      default:
        return html`<nr-requests-view
          .hass=${this.hass}
          .l=${l}
          .overview=${overview}
          .prefix=${prefix}
          .narrow=${this.narrow}
        ></nr-requests-view>`;
    }
  }

  static styles = [
    shared,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--primary-background-color);
      }
      .toolbar {
        display: flex;
        align-items: center;
        height: var(--header-height, 56px);
        padding: 0 12px;
        box-sizing: border-box;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        border-bottom: var(--app-header-border-bottom, none);
        font-size: 20px;
        gap: 8px;
      }
      .title {
        margin-left: 8px;
        font-weight: 400;
      }
      .tabs {
        display: flex;
        gap: 4px;
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        overflow-x: auto;
      }
      .tabs a {
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        opacity: 0.75;
        text-decoration: none;
        padding: 10px 12px;
        border-bottom: 2px solid transparent;
        white-space: nowrap;
        font-weight: 500;
      }
      .tabs a.active {
        opacity: 1;
        border-bottom-color: var(--app-header-text-color, var(--text-primary-color, #fff));
      }
      main {
        padding: 16px;
        max-width: 1200px;
        margin: 0 auto;
        box-sizing: border-box;
      }
      main.narrow {
        padding: 8px;
      }
      .loading {
        padding: 32px;
        text-align: center;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    "neighborhood-requests-panel": NeighborhoodRequestsPanel;
  }
}
