// The panel's own words in en, de and es; labels the integration translates on the
// server (legal bases, incident types…) are read from Home Assistant first.
import de from "./localize/de.json";
import en from "./localize/en.json";
import es from "./localize/es.json";
import type { Hass } from "./types";

type Strings = Record<string, string>;
const LANGUAGES: Record<string, Strings> = { en, de, es };
const DOMAIN = "neighborhood_requests";

export const panelLanguage = (hass: Hass): string => {
  const language = (hass.locale?.language || hass.language || "en").toLowerCase();
  if (language in LANGUAGES) return language;
  const base = language.split("-")[0];
  return base in LANGUAGES ? base : "en";
};

export type Values = Record<string, string | number>;

export class Localizer {
  readonly language: string;
  private readonly strings: Strings;
  private readonly plurals: Intl.PluralRules;
  private server: Strings = {};

  constructor(hass: Hass) {
    this.language = panelLanguage(hass);
    this.strings = LANGUAGES[this.language];
    this.plurals = new Intl.PluralRules(this.language);
  }

  /** Labels Home Assistant holds for the integration (`selector` category). */
  async loadServerLabels(hass: Hass): Promise<void> {
    try {
      const result = await hass.callWS<{ resources: Strings }>({
        type: "frontend/get_translations",
        language: this.language,
        category: "selector",
        integration: [DOMAIN],
      });
      this.server = result.resources ?? {};
    } catch {
      this.server = {};
    }
  }

  /** `key`, with `{name}` filled in; a `count` picks the `_one`/`_other` form. */
  t(key: string, values: Values = {}): string {
    let template: string | undefined;
    if (typeof values.count === "number") {
      const form = this.plurals.select(values.count);
      template = this.strings[`${key}_${form}`] ?? this.strings[`${key}_other`];
    }
    template ??= this.strings[key] ?? en[key as keyof typeof en] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  }

  /** A server label (`selector.<set>.options.<value>`), else ours, else readable. */
  label(set: string, value: string): string {
    const server = this.server[`component.${DOMAIN}.selector.${set}.options.${value}`];
    if (server) return server;
    const ours = this.strings[`${set}.${value}`];
    if (ours) return ours;
    return readable(value);
  }
}

/** `package_theft` as people write it, for values nobody translated. */
export const readable = (value: string): string => {
  const words = value.replace(/[_-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : value;
};
