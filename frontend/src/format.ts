// Times in the user's own locale and time zone (as Home Assistant's profile sets
// them), without seconds; lengths, distances and sizes with the right plural.
import type { Localizer } from "./localize";
import type { Hass } from "./types";

// Building an Intl formatter costs far more than using one, and a list of 200
// requests formats 600 times: one formatter per language, zone and shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (
  language: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat => {
  const key = `${language}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(language, options);
    formatters.set(key, found);
  }
  return found;
};

export const timeZone = (hass: Hass): string | undefined =>
  hass.locale?.time_zone === "server" ? hass.config.time_zone : undefined;

const hour12 = (hass: Hass): boolean | undefined => {
  switch (hass.locale?.time_format) {
    case "12":
      return true;
    case "24":
      return false;
    default:
      return undefined;
  }
};

export const formatDateTime = (hass: Hass, iso: string): string =>
  formatter(hass.locale?.language || hass.language, {
    dateStyle: "medium",
    timeStyle: "short",
    hour12: hour12(hass),
    timeZone: timeZone(hass),
  }).format(new Date(iso));

export const formatTime = (hass: Hass, iso: string): string =>
  formatter(hass.locale?.language || hass.language, {
    hour: "numeric",
    minute: "2-digit",
    hour12: hour12(hass),
    timeZone: timeZone(hass),
  }).format(new Date(iso));

/** The zone's short name ("EST", "MEZ"), so a time is never ambiguous. */
export const zoneName = (hass: Hass, iso: string): string => {
  const parts = formatter(hass.locale?.language || hass.language, {
    timeZoneName: "short",
    timeZone: timeZone(hass),
  }).formatToParts(new Date(iso));
  return parts.find((part) => part.type === "timeZoneName")?.value ?? "";
};

/** `Dec 6, 2026, 9:58 AM – 10:18 AM EST`: one date when both ends share it. */
export const formatWindow = (hass: Hass, start: string, end: string): string => {
  const language = hass.locale?.language || hass.language;
  const options: Intl.DateTimeFormatOptions = {
    dateStyle: "medium",
    timeStyle: "short",
    hour12: hour12(hass),
    timeZone: timeZone(hass),
  };
  const format = formatter(language, options);
  return `${format.formatRange(new Date(start), new Date(end))} ${zoneName(hass, start)}`;
};

export const formatDuration = (l: Localizer, seconds: number): string => {
  const total = Math.max(0, Math.round(seconds));
  if (total >= 2 * 86400) {
    // Days and hours: "6 days 17 hours" reads better than "161 hours".
    const days = Math.floor(total / 86400);
    const hoursLeft = Math.floor((total % 86400) / 3600);
    const parts = [l.t("duration.days", { count: days })];
    if (hoursLeft) parts.push(l.t("duration.hours", { count: hoursLeft }));
    return parts.join(" ");
  }
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts: string[] = [];
  if (hours) parts.push(l.t("duration.hours", { count: hours }));
  if (minutes) parts.push(l.t("duration.minutes", { count: minutes }));
  if (rest || !parts.length) parts.push(l.t("duration.seconds", { count: rest }));
  return parts.join(" ");
};

export const formatDistance = (hass: Hass, l: Localizer, metres: number): string => {
  const language = hass.locale?.language || hass.language;
  if (metres < 1000) {
    return l.t("distance.metres", {
      value: new Intl.NumberFormat(language).format(metres),
    });
  }
  return l.t("distance.kilometres", {
    value: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(
      metres / 1000,
    ),
  });
};

export const formatBytes = (hass: Hass, bytes: number): string => {
  const language = hass.locale?.language || hass.language;
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const number = new Intl.NumberFormat(language, {
    maximumFractionDigits: unit ? 1 : 0,
  }).format(value);
  return `${number} ${units[unit]}`;
};

/** "in 3 h 20 min" / "expired": the countdown a request shows until it expires. */
export const countdown = (l: Localizer, iso: string, now = Date.now()): string => {
  const left = (new Date(iso).getTime() - now) / 1000;
  if (left <= 0) return l.t("request.expired_now");
  const rounded = left >= 3600 ? Math.floor(left / 60) * 60 : Math.ceil(left);
  return l.t("request.expires_in", { time: formatDuration(l, rounded) });
};
