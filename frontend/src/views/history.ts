// Every request this home has seen, newest first: what the home made of it, who
// decided and where (browser, phone, Telegram…), and each clip's delivery.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { fetchHistory, wsError } from "../api";
import { formatDateTime, formatWindow } from "../format";
import { navigate } from "../ha";
import type { Localizer } from "../localize";
import { controls, shared } from "../styles";
import type { Hass, Overview, RequestView, WsError } from "../types";
import { decisionLine, deliveryList } from "./parts";

const STATE_BADGE: Record<string, string> = {
  pending: "info",
  shared: "ok",
  declined: "warn",
  rejected: "bad",
  expired: "bad",
  cancelled: "bad",
};

@customElement("nr-history-view")
export class HistoryView extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ attribute: false }) l!: Localizer;
  @property({ attribute: false }) overview!: Overview;
  @property() prefix = "";
  @state() private rows: Record<string, RequestView[]> = {};
  @state() private error?: WsError;

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("overview")) this.load();
  }

  private async load() {
    try {
      const feeds = this.overview.feeds.filter((feed) => feed.permissions.report);
      const loaded = await Promise.all(
        feeds.map(async (feed) => [feed.entry_id, (await fetchHistory(this.hass, feed.entry_id)).requests] as const),
      );
      this.rows = Object.fromEntries(loaded);
      this.error = undefined;
    } catch (err) {
      this.error = wsError(err);
    }
  }

  render() {
    const l = this.l;
    if (this.error) return html`<div class="notice error">${this.error.message}</div>`;
    return html`${this.overview.feeds
      .filter((feed) => feed.permissions.report)
      .map((feed) => {
        const rows = this.rows[feed.entry_id] ?? [];
        return html`<section>
          <h2>${feed.publisher.name}</h2>
          ${rows.length
            ? rows.map((row) => this.renderRow(row))
            : html`<div class="card"><div class="card-content secondary">${l.t("history.empty")}</div></div>`}
        </section>`;
      })}`;
  }

  private renderRow(row: RequestView) {
    const l = this.l;
    const cameraName = (entityId: string) =>
      this.hass.states[entityId]?.attributes.friendly_name?.toString() ?? entityId;
    const openable = row.incident && row.request_id && this.overview.feeds.some(
      (feed) => feed.entry_id === row.entry_id && feed.permissions.view,
    );
    return html`<article class="card" data-request=${row.request_id ?? ""}>
      <div class="card-content">
        <div class="head">
          <span class="incident">
            ${row.incident ? l.label("incident_types", row.incident.type) : l.t("history.unverified_entry")}
            ${row.incident?.case_number ? html`<span class="secondary">· ${l.t("request.case", { case: row.incident.case_number })}</span>` : nothing}
          </span>
          <span class="badge ${STATE_BADGE[row.state] ?? "info"}">${l.t(`state.${row.state}`)}</span>
        </div>
        <div class="secondary">
          ${l.t("history.seen", { when: formatDateTime(this.hass, row.first_seen) })}
          ${row.window ? html` · ${formatWindow(this.hass, row.window.start, row.window.end)}` : nothing}
        </div>
        ${row.decision ? html`<div class="decision">${decisionLine(this.hass, l, row.decision)}</div>` : nothing}
        ${row.decision?.decision === "share"
          ? html`<div class="secondary">
              ${l.t("history.shared_what", {
                cameras: row.decision.cameras.map(cameraName).join(", "),
                audio: row.decision.include_audio ? l.t("confirm.audio_included") : l.t("confirm.audio_not_included"),
              })}
            </div>`
          : nothing}
        ${deliveryList(this.hass, l, row.deliveries, cameraName)}
        ${row.reasons.length
          ? html`<ul class="reasons secondary">${row.reasons.map((r) => html`<li>${r.reason}</li>`)}</ul>`
          : nothing}
        ${openable
          ? html`<button
              class="link"
              @click=${() => navigate(`${this.prefix}/request/${row.entry_id}/${encodeURIComponent(row.request_id!)}`)}
            >
              ${l.t("history.open")}
            </button>`
          : nothing}
      </div>
    </article>`;
  }

  static styles = [
    shared,
    controls,
    css`
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        flex-wrap: wrap;
        align-items: baseline;
      }
      .incident {
        font-weight: 500;
        font-size: 16px;
      }
      .decision {
        margin-top: 6px;
      }
      ul {
        margin: 6px 0 0;
        padding-left: 20px;
      }
    `,
  ];
}
