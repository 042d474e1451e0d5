// Home Assistant's own elements, loaded the way established custom panels do
// (Alarmo and others): HA defines most of them lazily, with the panel that first
// needs them, so opening the config panel's routes in a detached resolver makes
// `ha-card`, `ha-button`, `ha-switch`, `ha-checkbox` and friends available here.
import { html, nothing, type TemplateResult } from "lit";

interface Resolver extends HTMLElement {
  hass: unknown;
  _updateRoutes(): void;
  routerOptions: { routes: Record<string, { load?: () => Promise<unknown> }> };
}

let loading: Promise<void> | undefined;

export const loadHaElements = (): Promise<void> => {
  if (customElements.get("ha-switch") && customElements.get("ha-checkbox")) {
    return Promise.resolve();
  }
  loading ??= (async () => {
    try {
      await customElements.whenDefined("partial-panel-resolver");
      const ppr = document.createElement("partial-panel-resolver") as Resolver;
      ppr.hass = { panels: [{ url_path: "tmp", component_name: "config" }] };
      ppr._updateRoutes();
      await ppr.routerOptions.routes.tmp.load?.();
      await customElements.whenDefined("ha-panel-config");
      const config = document.createElement("ha-panel-config") as Resolver;
      await config.routerOptions.routes.automation.load?.();
    } catch {
      // The panel still works with the browser's own controls (see below).
    }
  })();
  return loading;
};

export const defined = (tag: string): boolean => customElements.get(tag) !== undefined;

/** `ha-switch` when Home Assistant has it, else a plain checkbox with the same label. */
export const toggle = (
  checked: boolean,
  onChange: (checked: boolean) => void,
  label: string,
  id: string,
  disabled = false,
): TemplateResult => html`<label class="toggle" for=${id}>
  ${defined("ha-switch")
    ? html`<ha-switch
        id=${id}
        .checked=${checked}
        ?disabled=${disabled}
        @change=${(ev: Event) => onChange((ev.target as HTMLInputElement).checked)}
      ></ha-switch>`
    : html`<input
        type="checkbox"
        id=${id}
        .checked=${checked}
        ?disabled=${disabled}
        @change=${(ev: Event) => onChange((ev.target as HTMLInputElement).checked)}
      />`}
  <span>${label}</span>
</label>`;

/** `ha-checkbox` when Home Assistant has it, else the browser's checkbox. */
export const checkbox = (
  checked: boolean,
  onChange: (checked: boolean) => void,
  label: TemplateResult | string,
  id: string,
  disabled = false,
): TemplateResult => html`<label class="toggle" for=${id}>
  ${defined("ha-checkbox")
    ? html`<ha-checkbox
        id=${id}
        .checked=${checked}
        ?disabled=${disabled}
        @change=${(ev: Event) => onChange((ev.target as HTMLInputElement).checked)}
      ></ha-checkbox>`
    : html`<input
        type="checkbox"
        id=${id}
        .checked=${checked}
        ?disabled=${disabled}
        @change=${(ev: Event) => onChange((ev.target as HTMLInputElement).checked)}
      />`}
  <span>${label}</span>
</label>`;

export const icon = (name: string): TemplateResult | typeof nothing =>
  defined("ha-icon") ? html`<ha-icon .icon=${name}></ha-icon>` : nothing;

/** Navigates inside Home Assistant's frontend as its own links do. */
export const navigate = (path: string, replace = false): void => {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace } }));
};

export interface ButtonOptions {
  variant?: "brand" | "danger" | "neutral";
  appearance?: "accent" | "filled" | "outlined" | "plain";
  disabled?: boolean;
  id?: string;
}

/** `ha-button` when Home Assistant has it, else a themed browser button. */
export const button = (
  label: string,
  onClick: () => void,
  { variant = "brand", appearance = "accent", disabled = false, id }: ButtonOptions = {},
): TemplateResult =>
  defined("ha-button")
    ? html`<ha-button
        id=${id ?? ""}
        variant=${variant}
        appearance=${appearance}
        ?disabled=${disabled}
        @click=${onClick}
        >${label}</ha-button
      >`
    : html`<button
        id=${id ?? ""}
        class="btn ${variant} ${appearance}"
        ?disabled=${disabled}
        @click=${onClick}
      >
        ${label}
      </button>`;
