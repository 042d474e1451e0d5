// One request: who asks and why, the window in the user's time zone, how far away,
// when it expires; each camera's footage of that window to watch first; then
// Share (cameras, audio off by default, a last screen saying exactly what leaves
// the house and for which host) or Decline in one tap. A request that was
// decided elsewhere, withdrawn or expired while open says so and offers nothing.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { fetchPreview, fetchRequest, respond, wsError } from "../api";
import {
  countdown,
  formatBytes,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatTime,
  formatWindow,
} from "../format";
import { button, checkbox, icon, navigate, toggle } from "../ha";
import type { Localizer } from "../localize";
import { controls, shared } from "../styles";
import type {
  FeedView,
  Gap,
  Hass,
  Overview,
  PreviewResult,
  RequestView as Request,
  RespondResult,
  WsError,
} from "../types";
import { deliveryList, decisionLine } from "./parts";

interface PreviewState {
  loading: boolean;
  tapped: number;
  result?: PreviewResult;
  error?: WsError;
}

@customElement("nr-request-view")
export class RequestView extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ attribute: false }) l!: Localizer;
  @property({ attribute: false }) overview!: Overview;
  @property() entryId = "";
  @property() requestId = "";
  @property() prefix = "";
  @property({ type: Boolean }) narrow = false;

  @state() private request?: Request;
  @state() private loadError?: WsError;
  @state() private previews: Record<string, PreviewState> = {};
  @state() private chosen?: Set<string>;
  @state() private audio = false;
  @state() private confirming = false;
  @state() private busy = false;
  @state() private outcome?: RespondResult;
  @state() private failure?: WsError;
  @state() private now = Date.now();
  private timer?: number;
  private loads = 0;

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      this.now = Date.now();
    }, 15_000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("entryId") || changed.has("requestId")) {
      this.request = undefined;
      this.previews = {};
      this.chosen = undefined;
      this.audio = false;
      this.confirming = false;
      this.outcome = undefined;
      this.failure = undefined;
    }
    if (changed.has("entryId") || changed.has("requestId") || changed.has("overview")) {
      this.load();
    }
  }

  private async load() {
    const load = ++this.loads;
    try {
      const request = await fetchRequest(this.hass, this.entryId, this.requestId);
      if (load !== this.loads) return;
      this.request = request;
      this.loadError = undefined;
    } catch (err) {
      if (load === this.loads) this.loadError = wsError(err);
    }
  }

  private get feed(): FeedView | undefined {
    return this.overview.feeds.find((feed) => feed.entry_id === this.entryId);
  }

  private back() {
    navigate(`${this.prefix}/`);
  }

  render() {
    const l = this.l;
    const back = html`<div class="back">
      ${button(`← ${l.t("request.back")}`, () => this.back(), { appearance: "plain" })}
    </div>`;
    if (this.loadError) {
      return html`${back}<div class="notice error">${this.loadError.message}</div>`;
    }
    const request = this.request;
    const feed = this.feed;
    if (!request || !feed) {
      return html`${back}<div class="secondary">${l.t("panel.loading")}</div>`;
    }
    const incident = request.incident;
    const open =
      request.state === "pending" &&
      !!request.expires_at &&
      new Date(request.expires_at).getTime() > this.now;
    return html`
      ${back}
      <header class="title">
        <h1>
          ${incident ? l.label("incident_types", incident.type) : request.request_id}
          ${incident?.case_number
            ? html`<span class="secondary case">${l.t("request.case", { case: incident.case_number })}</span>`
            : nothing}
        </h1>
      </header>
      ${this.renderState(request, open)}
      <div class="columns ${this.narrow ? "narrow" : ""}">
        <div>
          ${this.renderFacts(feed, request)} ${this.renderPublisher(feed, request)}
        </div>
        <div>
          ${open && feed.permissions.preview ? this.renderFootage(request) : nothing}
          ${open && feed.permissions.decide ? this.renderDecide(feed, request) : nothing}
          ${request.deliveries.length ? this.renderDeliveries(request) : nothing}
        </div>
      </div>
    `;
  }

  private renderState(request: Request, open: boolean) {
    const l = this.l;
    if (this.outcome) {
      const decided = this.outcome.request.decision;
      return html`<div class="notice ${this.outcome.error ? "warn" : "ok"}" role="status">
        ${decided?.decision === "share"
          ? l.t("outcome.shared", { host: this.outcome.request.upload_host ?? "" })
          : l.t("outcome.declined", { publisher: this.feed?.publisher.name ?? "" })}
        ${this.outcome.error ? html`<div>${this.outcome.error.message}</div>` : nothing}
      </div>`;
    }
    if (open) {
      return this.failure
        ? html`<div class="notice error" role="alert">${this.failure.message}</div>`
        : nothing;
    }
    let message: string;
    if (request.decision) {
      message = decisionLine(this.hass, l, request.decision);
    } else if (request.state === "cancelled") {
      message = l.t("state_notice.cancelled");
    } else if (
      request.state === "expired" ||
      (request.expires_at && new Date(request.expires_at).getTime() <= this.now)
    ) {
      message = l.t("state_notice.expired");
    } else {
      message = l.t("state_notice.other", { state: l.t(`state.${request.state}`) });
    }
    return html`<div class="notice warn" role="status">
      <strong>${message}</strong>
      ${request.decision ? nothing : html`<div>${l.t("state_notice.nothing_to_send")}</div>`}
      ${request.reasons.length
        ? html`<ul>${request.reasons.map((r) => html`<li>${r.reason}</li>`)}</ul>`
        : nothing}
    </div>`;
  }

  private renderFacts(feed: FeedView, request: Request) {
    const l = this.l;
    const hass = this.hass;
    const window = request.window;
    return html`<section class="card">
      <div class="card-content">
        <h3>${l.t("request.about")}</h3>
        ${request.incident?.summary
          ? html`<p class="summary">${request.incident.summary}</p>`
          : nothing}
        <dl class="facts">
          <dt>${l.t("request.incident")}</dt>
          <dd>${request.incident ? l.label("incident_types", request.incident.type) : "–"}</dd>
          <dt>${l.t("request.case_number")}</dt>
          <dd>${request.incident?.case_number ?? l.t("request.no_case")}</dd>
          <dt>${l.t("request.legal_basis")}</dt>
          <dd>
            ${request.legal ? l.label("legal_bases", request.legal.basis) : "–"}
            ${request.legal?.reference ? html` (${request.legal.reference})` : nothing}
          </dd>
          ${window
            ? html`<dt>${l.t("request.window")}</dt>
                <dd>
                  ${formatWindow(hass, window.start, window.end)}
                  <div class="secondary">
                    ${l.t("request.length", { length: formatDuration(l, window.seconds) })}
                  </div>
                </dd>`
            : nothing}
          ${request.distance_to_area_m !== undefined
            ? html`<dt>${l.t("request.distance")}</dt>
                <dd>
                  ${request.distance_to_area_m === 0
                    ? l.t("request.home_inside")
                    : l.t("request.distance_edge", {
                        distance: formatDistance(hass, l, request.distance_to_area_m),
                      })}
                  <div class="secondary">
                    ${l.t("request.distance_centre", {
                      distance: formatDistance(hass, l, request.distance_to_centre_m ?? 0),
                    })}
                  </div>
                </dd>`
            : nothing}
          ${request.expires_at
            ? html`<dt>${l.t("request.expires")}</dt>
                <dd>
                  ${formatDateTime(hass, request.expires_at)}
                  <div class="secondary">${countdown(l, request.expires_at, this.now)}</div>
                </dd>`
            : nothing}
          <dt>${l.t("request.audio")}</dt>
          <dd>${request.audio_requested ? l.t("request.audio_asked") : l.t("request.audio_not_asked")}</dd>
          ${request.upload_host
            ? html`<dt>${l.t("request.upload_host")}</dt>
                <dd class="mono">${request.upload_host}</dd>`
            : nothing}
          ${request.contact && (request.contact.name || request.contact.phone || request.contact.email)
            ? html`<dt>${l.t("request.contact")}</dt>
                <dd>
                  ${[request.contact.name, request.contact.phone, request.contact.email]
                    .filter(Boolean)
                    .join(" · ")}
                </dd>`
            : nothing}
          ${request.public_url || request.incident?.reference_url
            ? html`<dt>${l.t("request.links")}</dt>
                <dd>
                  ${[request.public_url, request.incident?.reference_url]
                    .filter((url): url is string => !!url && /^https?:\/\//.test(url))
                    .map(
                      (url) =>
                        html`<div><a href=${url} target="_blank" rel="noopener noreferrer">${url}</a></div>`,
                    )}
                </dd>`
            : nothing}
          <dt>${l.t("request.request_id")}</dt>
          <dd class="mono">${request.request_id} · ${l.t("request.revision", { revision: request.revision })}</dd>
        </dl>
        ${feed.permissions.view ? nothing : nothing}
      </div>
    </section>`;
  }

  private renderPublisher(feed: FeedView, request: Request) {
    const l = this.l;
    return html`<section class="card">
      <div class="card-content">
        <h3>${l.t("publisher.title")}</h3>
        <div class="publisher">
          <strong>${feed.publisher.name}</strong>
          <span class="secondary">${l.label("publisher_kinds", feed.publisher.kind)}</span>
          ${request.verified
            ? html`<span class="badge ok">${icon("mdi:check-decagram")}${l.t("publisher.verified")}</span>`
            : html`<span class="badge bad">${icon("mdi:alert-decagram")}${l.t("publisher.unverified")}</span>`}
        </div>
        <p class="secondary">
          ${request.verified ? l.t("publisher.verified_help") : l.t("publisher.unverified_help")}
        </p>
        <dl class="facts">
          <dt>${l.t("publisher.fingerprint", { count: feed.publisher.fingerprints.length })}</dt>
          <dd class="mono">${feed.publisher.fingerprints.map((f) => html`<div>${f}</div>`)}</dd>
          <dt>${l.t("publisher.feed")}</dt>
          <dd class="mono">${feed.publisher.feed_host}</dd>
        </dl>
      </div>
    </section>`;
  }

  private async watch(camera: string) {
    const tapped = performance.now();
    this.previews = { ...this.previews, [camera]: { loading: true, tapped } };
    try {
      const result = await fetchPreview(this.hass, this.entryId, this.requestId, camera);
      this.previews = { ...this.previews, [camera]: { loading: false, tapped, result } };
    } catch (err) {
      this.previews = {
        ...this.previews,
        [camera]: { loading: false, tapped, error: wsError(err) },
      };
    }
  }

  private renderFootage(request: Request) {
    const l = this.l;
    const cameras = request.cameras ?? [];
    return html`<section class="card">
      <div class="card-content">
        <h3>${l.t("footage.title")}</h3>
        <p class="secondary">${l.t("footage.help")}</p>
        ${cameras.length
          ? cameras.map((camera) => {
              const preview = this.previews[camera.entity_id];
              return html`<div class="camera">
                <div class="camera-head">
                  <strong>${camera.name}</strong>
                  <span class="badge ${camera.footage === "yes" ? "ok" : camera.footage === "no" ? "bad" : "info"}"
                    >${l.t(`footage.presence_${camera.footage}`)}</span
                  >
                  ${button(
                    preview?.result ? l.t("footage.reload") : l.t("footage.watch"),
                    () => this.watch(camera.entity_id),
                    { appearance: "outlined", disabled: preview?.loading, id: `watch-${camera.entity_id}` },
                  )}
                </div>
                ${preview
                  ? this.renderPreview(request, camera.entity_id, preview)
                  : camera.gaps?.length
                    ? this.renderGaps(camera.gaps)
                    : nothing}
              </div>`;
            })
          : html`<p>${l.t("footage.no_cameras")}</p>`}
      </div>
    </section>`;
  }

  private renderPreview(request: Request, camera: string, preview: PreviewState) {
    const l = this.l;
    if (preview.loading) {
      return html`<div class="secondary">${l.t("footage.exporting")}</div>`;
    }
    if (preview.error) {
      const known = ["no_footage", "camera_offline", "disk_error"].includes(preview.error.code);
      return html`<div class="notice error" role="alert" data-cause=${preview.error.code}>
        <strong>${known ? l.t(`footage.error_${preview.error.code}`) : l.t("footage.error")}</strong>
        <div>${preview.error.message}</div>
      </div>`;
    }
    const result = preview.result!;
    const window = request.window!;
    const start = new Date(window.start).getTime();
    const span = Math.max(1, new Date(window.end).getTime() - start);
    const part = (gap: Gap) => {
      const at = (iso: string) =>
        Math.max(0, Math.min(100, ((new Date(iso).getTime() - start) / span) * 100));
      const left = at(gap.start);
      return `left:${left}%;width:${Math.max(0.5, at(gap.end) - left)}%`;
    };
    return html`<video
        controls
        playsinline
        preload="auto"
        src=${result.url}
        data-camera=${camera}
        @loadeddata=${(ev: Event) => {
          const video = ev.target as HTMLVideoElement;
          video.dataset.firstFrameMs = String(Math.round(performance.now() - preview.tapped));
        }}
      ></video>
      <div class="timeline" aria-label=${l.t("footage.timeline")}>
        ${result.gaps.map((gap) => html`<span class="gap" style=${part(gap)}></span>`)}
      </div>
      <div class="timeline-labels secondary">
        <span>${formatTime(this.hass, window.start)}</span><span>${formatTime(this.hass, window.end)}</span>
      </div>
      ${result.gaps.length
        ? this.renderGaps(result.gaps)
        : html`<div class="secondary">${l.t("footage.complete", { size: formatBytes(this.hass, result.bytes) })}</div>`}`;
  }

  /** Each hole in the footage: when, how long and, if the recorder knows, why. */
  private renderGaps(gaps: Gap[]) {
    const l = this.l;
    return html`<div class="notice warn gaps" data-gaps=${gaps.length}>
      <strong>${l.t("footage.gaps", { count: gaps.length })}</strong>
      <ul>
        ${gaps.map(
          (gap) =>
            html`<li>
              ${formatTime(this.hass, gap.start)} – ${formatTime(this.hass, gap.end)}
              (${formatDuration(l, (new Date(gap.end).getTime() - new Date(gap.start).getTime()) / 1000)})${gap.reason
                ? html`: ${l.label("gap_reasons", gap.reason)}`
                : nothing}
            </li>`,
        )}
      </ul>
    </div>`;
  }

  private get allowedCameras(): string[] {
    return (this.request?.cameras ?? []).map((camera) => camera.entity_id);
  }

  private cameraName(entityId: string): string {
    return (
      this.request?.cameras?.find((camera) => camera.entity_id === entityId)?.name ??
      this.feed?.cameras?.find((camera) => camera.entity_id === entityId)?.name ??
      entityId
    );
  }

  private renderDecide(_feed: FeedView, request: Request) {
    const l = this.l;
    const allowed = this.allowedCameras;
    const chosen = this.chosen ?? new Set(allowed);
    if (this.confirming) {
      const window = request.window!;
      const names = [...chosen].map((camera) => this.cameraName(camera));
      return html`<section class="card confirm" aria-label=${l.t("confirm.title")}>
        <div class="card-content">
          <h3>${l.t("confirm.title")}</h3>
          <p>${l.t("confirm.intro", { host: request.upload_host ?? "" })}</p>
          <dl class="facts">
            <dt>${l.t("confirm.cameras", { count: names.length })}</dt>
            <dd>${names.join(", ")}</dd>
            <dt>${l.t("confirm.footage")}</dt>
            <dd>
              ${formatWindow(this.hass, window.start, window.end)}
              (${formatDuration(l, window.seconds)})
            </dd>
            ${this.renderConfirmGaps([...chosen])}
            <dt>${l.t("confirm.audio")}</dt>
            <dd>${this.audio ? l.t("confirm.audio_included") : l.t("confirm.audio_not_included")}</dd>
            <dt>${l.t("confirm.recipient")}</dt>
            <dd class="mono">${request.upload_host}</dd>
            <dt>${l.t("confirm.signed")}</dt>
            <dd>${l.t("confirm.signed_detail")}</dd>
          </dl>
        </div>
        <div class="actions">
          ${button(l.t("confirm.back"), () => (this.confirming = false), {
            appearance: "plain",
            disabled: this.busy,
          })}
          ${button(l.t("confirm.send"), () => this.decide("share"), {
            disabled: this.busy,
            id: "send",
          })}
        </div>
      </section>`;
    }
    return html`<section class="card decide">
      <div class="card-content">
        <h3>${l.t("decide.title")}</h3>
        <p class="secondary">${l.t("decide.help")}</p>
        ${allowed.length
          ? html`<fieldset>
              <legend>${l.t("decide.cameras")}</legend>
              ${allowed.map((camera) =>
                checkbox(
                  chosen.has(camera),
                  (on) => {
                    const next = new Set(chosen);
                    if (on) next.add(camera);
                    else next.delete(camera);
                    this.chosen = next;
                  },
                  this.cameraName(camera),
                  `camera-${camera}`,
                  this.busy,
                ),
              )}
            </fieldset>`
          : html`<p>${l.t("footage.no_cameras")}</p>`}
        ${toggle(
          this.audio,
          (on) => (this.audio = on),
          request.audio_requested ? l.t("decide.audio_asked") : l.t("decide.audio"),
          "audio",
          this.busy,
        )}
      </div>
      <div class="actions">
        ${button(l.t("decide.decline"), () => this.decide("decline"), {
          variant: "danger",
          appearance: "outlined",
          disabled: this.busy,
          id: "decline",
        })}
        ${button(l.t("decide.share"), () => (this.confirming = true), {
          disabled: this.busy || chosen.size === 0,
          id: "share",
        })}
      </div>
    </section>`;
  }

  /** What the clips will lack, per camera, as far as it is known before Send. */
  private renderConfirmGaps(cameras: string[]) {
    const l = this.l;
    const lacking = cameras
      .map((camera) => {
        const gaps =
          this.previews[camera]?.result?.gaps ??
          this.request?.cameras?.find((c) => c.entity_id === camera)?.gaps ??
          [];
        return { camera, gaps };
      })
      .filter(({ gaps }) => gaps.length);
    if (!lacking.length) return nothing;
    return html`<dt>${l.t("confirm.gaps")}</dt>
      <dd class="confirm-gaps">
        ${lacking.map(
          ({ camera, gaps }) =>
            html`<div>
              ${this.cameraName(camera)}:
              ${gaps
                .map(
                  (gap) =>
                    `${formatTime(this.hass, gap.start)} – ${formatTime(this.hass, gap.end)}` +
                    (gap.reason ? `: ${l.label("gap_reasons", gap.reason)}` : ""),
                )
                .join(", ")}
            </div>`,
        )}
      </dd>`;
  }

  private async decide(decision: "share" | "decline") {
    const allowed = this.allowedCameras;
    const cameras = [...(this.chosen ?? new Set(allowed))];
    this.busy = true;
    this.failure = undefined;
    try {
      this.outcome = await respond(
        this.hass,
        this.entryId,
        this.requestId,
        decision,
        decision === "share" ? cameras : undefined,
        decision === "share" && this.audio,
      );
      this.request = this.outcome.request;
      this.confirming = false;
    } catch (err) {
      this.failure = wsError(err);
      this.confirming = false;
      await this.load();
    } finally {
      this.busy = false;
    }
  }

  private renderDeliveries(request: Request) {
    return html`<section class="card">
      <div class="card-content">
        <h3>${this.l.t("delivery.title")}</h3>
        ${deliveryList(this.hass, this.l, request.deliveries, (c) => this.cameraName(c))}
      </div>
    </section>`;
  }

  static styles = [
    shared,
    controls,
    css`
      .back {
        margin-bottom: 8px;
      }
      h1 {
        font-size: 24px;
        font-weight: 400;
        margin: 0 0 16px;
      }
      .case {
        font-size: 18px;
        margin-left: 8px;
        white-space: nowrap;
      }
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 16px;
      }
      .columns.narrow {
        grid-template-columns: 1fr;
      }
      .summary {
        font-size: 16px;
        margin-top: 0;
      }
      .publisher {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .camera {
        border-top: 1px solid var(--divider-color);
        padding: 12px 0;
      }
      .camera-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        justify-content: space-between;
        margin-bottom: 8px;
      }
      video {
        width: 100%;
        max-height: 60vh;
        background: #000;
        border-radius: 8px;
      }
      .timeline {
        position: relative;
        height: 8px;
        border-radius: 4px;
        margin-top: 6px;
        background: var(--success-color, #43a047);
        overflow: hidden;
      }
      .gap {
        position: absolute;
        top: 0;
        bottom: 0;
        background: var(--error-color, #db4437);
      }
      .timeline-labels {
        display: flex;
        justify-content: space-between;
        font-size: 12px;
      }
      .gaps {
        margin-top: 8px;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0 0 8px;
      }
      legend {
        color: var(--secondary-text-color);
        margin-bottom: 4px;
      }
      .confirm {
        border-color: var(--primary-color);
        border-width: 2px;
      }
    `,
  ];
}
