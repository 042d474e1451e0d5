// The integration's websocket commands, typed. Nothing else talks to Home Assistant.
import type {
  Hass,
  Overview,
  PreviewResult,
  Recipient,
  RequestView,
  RespondResult,
  WsError,
} from "./types";

const DOMAIN = "neighborhood_requests";
const PANEL = `${DOMAIN}/panel`;

export const subscribeOverview = (
  hass: Hass,
  callback: (overview: Overview) => void,
) =>
  hass.connection.subscribeMessage<Overview>(callback, {
    type: `${PANEL}/subscribe`,
    language: hass.language,
  });

export const fetchRequest = (hass: Hass, entryId: string, requestId: string) =>
  hass.callWS<RequestView>({
    type: `${PANEL}/request`,
    entry_id: entryId,
    request_id: requestId,
    language: hass.language,
  });

export const fetchPreview = (
  hass: Hass,
  entryId: string,
  requestId: string,
  camera: string,
) =>
  hass.callWS<PreviewResult>({
    type: `${PANEL}/preview`,
    entry_id: entryId,
    request_id: requestId,
    camera,
    language: hass.language,
  });

export const respond = (
  hass: Hass,
  entryId: string,
  requestId: string,
  decision: "share" | "decline",
  cameras?: string[],
  includeAudio = false,
) =>
  hass.callWS<RespondResult>({
    type: `${PANEL}/respond`,
    entry_id: entryId,
    request_id: requestId,
    decision,
    ...(cameras ? { cameras } : {}),
    include_audio: includeAudio,
    language: hass.language,
  });

export const fetchHistory = (hass: Hass, entryId: string) =>
  hass.callWS<{ requests: RequestView[] }>({
    type: `${PANEL}/history`,
    entry_id: entryId,
    language: hass.language,
  });

export const fetchTransparency = (hass: Hass, entryId: string) =>
  hass.callWS<Record<string, unknown>>({
    type: `${PANEL}/transparency`,
    entry_id: entryId,
    language: hass.language,
  });

export interface AuditResult {
  ok: boolean;
  entries: number;
  first_broken_line: number | null;
  reason: string | null;
  // The verification's own words, in the home's language, when it gives them.
  message?: string | null;
}

export const verifyAudit = (hass: Hass, entryId: string) =>
  hass.callWS<AuditResult>({
    type: `${PANEL}/audit`,
    entry_id: entryId,
    language: hass.language,
  });

// Telegram links use the integration's own pairing commands, as the bot does.
export const createPairingCode = (hass: Hass, group: boolean) =>
  hass.callWS<{ code: string; expires_at: string; group: boolean }>({
    type: `${DOMAIN}/pairing/create`,
    group,
  });

export const listRecipients = (hass: Hass) =>
  hass.callWS<{ recipients: Recipient[] }>({ type: `${DOMAIN}/recipients` });

export const unlinkRecipient = (hass: Hass, telegramUserId: string) =>
  hass.callWS<{ recipients: Recipient[] }>({
    type: `${DOMAIN}/recipients`,
    unlink: telegramUserId,
  });

/** The error of a failed command, whatever shape the connection gave it. */
export const wsError = (err: unknown): WsError => {
  if (err && typeof err === "object" && "code" in err && "message" in err) {
    return { code: String(err.code), message: String(err.message) };
  }
  return { code: "unknown_error", message: String(err) };
};
