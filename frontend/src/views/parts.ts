// Pieces the request view and the history share.
import { html, nothing } from "lit";
import { formatBytes, formatDateTime } from "../format";
import type { Localizer } from "../localize";
import type { DecisionView, DeliveryView, Hass } from "../types";

/** "Shared by Anna in the browser on Dec 6, 10:21 AM". */
export const decisionLine = (hass: Hass, l: Localizer, decision: DecisionView): string =>
  l.t(decision.decision === "share" ? "decision.shared_by" : "decision.declined_by", {
    who: decision.by ?? l.t("decision.someone"),
    where: l.t(`channel.${decision.channel ?? "unknown"}`),
    when: formatDateTime(hass, decision.at),
  });

const DELIVERY_BADGE: Record<string, string> = {
  delivered: "ok",
  failed: "bad",
  expired: "bad",
  withdrawn: "bad",
  held: "warn",
};

export const deliveryList = (
  hass: Hass,
  l: Localizer,
  deliveries: DeliveryView[],
  cameraName: (entityId: string) => string,
) =>
  deliveries.length
    ? html`<ul class="deliveries">
        ${deliveries.map(
          (delivery) => html`<li>
            <strong>${cameraName(delivery.camera)}</strong>
            <span class="badge ${DELIVERY_BADGE[delivery.state] ?? "info"}"
              >${l.t(`delivery.${delivery.state}`)}</span
            >
            <span class="secondary">${formatDateTime(hass, delivery.at)}</span>
            ${delivery.reason ? html`<div>${l.t("delivery.reason", { reason: delivery.reason })}</div>` : nothing}
            <div class="secondary">
              ${formatBytes(hass, delivery.bytes)} · SHA-256
              <span class="mono">${delivery.sha256}</span>
            </div>
          </li>`,
        )}
      </ul>`
    : nothing;
