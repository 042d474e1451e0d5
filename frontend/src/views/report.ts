// The transparency report per publisher and the audit log's verification.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { type AuditResult, fetchTransparency, verifyAudit, wsError } from "../api";
import { formatDistance, formatDuration } from "../format";
import { button } from "../ha";
import type { Localizer } from "../localize";
import { controls, shared } from "../styles";
import type { FeedView, Hass, Overview, WsError } from "../types";

const COUNTS = ["received", "pending", "shared", "declined", "expired", "cancelled", "rejected", "outside_area", "paused"];

@customElement("nr-report-view")
export class ReportView extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ attribute: false }) l!: Localizer;
  @property({ attribute: false }) overview!: Overview;
  @state() private reports: Record<string, Record<string, unknown>> = {};
  @state() private audits: Record<string, AuditResult | { error: WsError } | "running"> =
    {};
  @state() private error?: WsError;

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("overview")) this.load();
  }

  private async load() {
    try {
      const feeds = this.overview.feeds.filter((feed) => feed.permissions.report);
      const loaded = await Promise.all(
        feeds.map(async (feed) => [feed.entry_id, await fetchTransparency(this.hass, feed.entry_id)] as const),
      );
      this.reports = Object.fromEntries(loaded);
    } catch (err) {
      this.error = wsError(err);
    }
  }

  private async verify(feed: FeedView) {
    this.audits = { ...this.audits, [feed.entry_id]: "running" };
    let result: AuditResult | { error: WsError };
    try {
      result = await verifyAudit(this.hass, feed.entry_id);
    } catch (err) {
      // A refused or failed command, told apart from a verification (which
      // has its own `code` and `message`).
      result = { error: wsError(err) };
    }
    this.audits = { ...this.audits, [feed.entry_id]: result };
  }

  render() {
    if (this.error) return html`<div class="notice error">${this.error.message}</div>`;
    return html`${this.overview.feeds.map((feed) => this.renderFeed(feed))}`;
  }

  private renderFeed(feed: FeedView) {
    const l = this.l;
    const report = this.reports[feed.entry_id];
    const reasons = (report?.rejected_reasons ?? {}) as Record<string, number>;
    const window = report?.median_window_minutes as number | null | undefined;
    const radius = report?.median_radius_m as number | null | undefined;
    return html`<section class="card">
      <div class="card-content">
        <h2>${feed.publisher.name}</h2>
        ${feed.permissions.report && report
          ? html`<h3>${l.t("report.title")}</h3>
              <p class="secondary">${l.t("report.help")}</p>
              <div class="counts">
                ${COUNTS.map(
                  (key) => html`<div class="count">
                    <div class="number">${Number(report[key] ?? 0)}</div>
                    <div class="secondary">${l.t(key === "received" ? "report.received" : `state.${key}`)}</div>
                  </div>`,
                )}
              </div>
              <dl class="facts">
                <dt>${l.t("report.median_window")}</dt>
                <dd>${window != null ? formatDuration(l, window * 60) : "–"}</dd>
                <dt>${l.t("report.median_radius")}</dt>
                <dd>${radius != null ? formatDistance(this.hass, l, radius) : "–"}</dd>
              </dl>
              ${Number(report.skipped ?? 0)
                ? html`<p class="secondary" data-skipped=${Number(report.skipped)}>
                    ${l.t("report.skipped", { count: Number(report.skipped) })}
                  </p>`
                : nothing}
              ${Object.keys(reasons).length
                ? html`<h3>${l.t("report.rejected_reasons")}</h3>
                    <ul>${Object.entries(reasons).map(([reason, count]) => html`<li>${reason}: ${count}</li>`)}</ul>`
                : nothing}`
          : nothing}
        ${feed.permissions.audit ? this.renderAudit(feed) : nothing}
      </div>
    </section>`;
  }

  private renderAudit(feed: FeedView) {
    const l = this.l;
    const audit = this.audits[feed.entry_id];
    let outcome = html``;
    if (audit === "running") {
      outcome = html`<div class="secondary">${l.t("audit.running")}</div>`;
    } else if (audit && "error" in audit) {
      outcome = html`<div class="notice error" role="alert">${audit.error.message}</div>`;
    } else if (audit) {
      outcome = audit.ok
        ? html`<div class="notice ok" role="status">${l.t("audit.ok", { count: audit.entries })}</div>`
        : html`<div class="notice error" role="alert">
            ${l.t("audit.broken", { line: audit.first_broken_line ?? "?" })}
            ${audit.message || audit.reason
              ? html`<div>${audit.message || audit.reason}</div>`
              : nothing}
          </div>`;
    }
    return html`<h3>${l.t("audit.title")}</h3>
      <p class="secondary">${l.t("audit.help")}</p>
      ${outcome}
      <div class="actions">
        ${button(l.t("audit.verify"), () => this.verify(feed), { disabled: audit === "running", id: `verify-${feed.entry_id}` })}
      </div>`;
  }

  static styles = [
    shared,
    controls,
    css`
      .counts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(110px, 1fr));
        gap: 8px;
        margin: 12px 0;
      }
      .count {
        border: 1px solid var(--divider-color);
        border-radius: 8px;
        padding: 8px;
      }
      .number {
        font-size: 24px;
      }
      h3 {
        margin-top: 16px;
      }
      .actions {
        padding: 0;
      }
    `,
  ];
}
