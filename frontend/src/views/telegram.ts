// Linking Telegram: a personal (or, for administrators, a group) pairing code with
// its instructions, the chats linked now, and unlinking them. The codes come
// from the integration's own pairing commands, the same ones the bot completes.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { createPairingCode, listRecipients, unlinkRecipient, wsError } from "../api";
import { countdown, formatDateTime } from "../format";
import { button } from "../ha";
import type { Localizer } from "../localize";
import { controls, shared } from "../styles";
import type { Hass, Overview, Recipient, WsError } from "../types";

interface Code {
  code: string;
  expires_at: string;
  group: boolean;
}

@customElement("nr-telegram-view")
export class TelegramView extends LitElement {
  @property({ attribute: false }) hass!: Hass;
  @property({ attribute: false }) l!: Localizer;
  @property({ attribute: false }) overview!: Overview;
  @state() private code?: Code;
  @state() private recipients: Recipient[] = [];
  @state() private error?: WsError;
  @state() private now = Date.now();
  private timer?: number;

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      this.now = Date.now();
      if (this.code) this.refresh();
    }, 5_000);
    this.refresh();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("overview") && changed.get("overview")) this.refresh();
  }

  private async refresh() {
    try {
      this.recipients = (await listRecipients(this.hass)).recipients;
    } catch (err) {
      this.error = wsError(err);
    }
  }

  private can(permission: "link_self" | "manage_links"): boolean {
    return this.overview.feeds.some((feed) => feed.permissions[permission]);
  }

  private async create(group: boolean) {
    this.error = undefined;
    try {
      this.code = await createPairingCode(this.hass, group);
    } catch (err) {
      this.error = wsError(err);
    }
  }

  private async unlink(recipient: Recipient) {
    if (!confirm(this.l.t("telegram.unlink_confirm", { name: recipient.name }))) return;
    try {
      this.recipients = (await unlinkRecipient(this.hass, recipient.telegram_user_id)).recipients;
    } catch (err) {
      this.error = wsError(err);
    }
  }

  render() {
    const l = this.l;
    const code = this.code;
    const live = code && new Date(code.expires_at).getTime() > this.now;
    return html`
      ${this.error ? html`<div class="notice error" role="alert">${this.error.message}</div>` : nothing}
      <section class="card">
        <div class="card-content">
          <h2>${l.t("telegram.title")}</h2>
          <p>${l.t("telegram.help")}</p>
          ${live
            ? html`<div class="code-box" role="status">
                <div class="secondary">${code.group ? l.t("telegram.group_code") : l.t("telegram.personal_code")}</div>
                <div class="code" data-code=${code.code}>${code.code}</div>
                <div class="secondary">${countdown(l, code.expires_at, this.now)}</div>
                <ol>
                  ${(code.group
                    ? [l.t("telegram.group_step1"), l.t("telegram.group_step2", { code: code.code })]
                    : [l.t("telegram.step1"), l.t("telegram.step2"), l.t("telegram.step3", { code: code.code })]
                  ).map((step) => html`<li>${step}</li>`)}
                </ol>
              </div>`
            : code
              ? html`<div class="notice warn">${l.t("telegram.code_expired")}</div>`
              : nothing}
        </div>
        <div class="actions">
          ${this.can("manage_links")
            ? button(l.t("telegram.create_group"), () => this.create(true), {
                appearance: "outlined",
                id: "group-code",
              })
            : nothing}
          ${this.can("link_self")
            ? button(l.t("telegram.create_personal"), () => this.create(false), { id: "personal-code" })
            : nothing}
        </div>
      </section>
      <section class="card">
        <div class="card-content">
          <h3>${l.t("telegram.linked", { count: this.recipients.length })}</h3>
          ${this.recipients.length
            ? html`<ul class="linked">
                ${this.recipients.map(
                  (recipient) => html`<li>
                    <div>
                      <strong>${recipient.name}</strong>
                      <span class="badge info">${l.t(`telegram.kind_${recipient.kind}`)}</span>
                      <div class="secondary">${l.t("telegram.linked_at", { when: formatDateTime(this.hass, recipient.linked_at) })}</div>
                    </div>
                    ${button(l.t("telegram.unlink"), () => this.unlink(recipient), {
                      variant: "danger",
                      appearance: "plain",
                    })}
                  </li>`,
                )}
              </ul>`
            : html`<p class="secondary">${l.t("telegram.none")}</p>`}
        </div>
      </section>
    `;
  }

  static styles = [
    shared,
    controls,
    css`
      .code-box {
        border: 1px dashed var(--primary-color);
        border-radius: 8px;
        padding: 12px 16px;
      }
      .code {
        font-size: 32px;
        letter-spacing: 6px;
        font-family: var(--ha-font-family-code, monospace);
        margin: 4px 0;
      }
      ul.linked {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.linked li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        padding: 8px 0;
        border-bottom: 1px solid var(--divider-color);
      }
    `,
  ];
}
