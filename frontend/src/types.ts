// What the integration's panel commands send (custom_components/…/panel/views.py).

export interface HassUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export interface HassLocale {
  language: string;
  time_zone?: "local" | "server";
  time_format?: "language" | "system" | "12" | "24";
}

export interface Hass {
  callWS<T>(msg: Record<string, unknown>): Promise<T>;
  connection: {
    subscribeMessage<T>(
      callback: (message: T) => void,
      msg: Record<string, unknown>,
    ): Promise<() => Promise<void>>;
  };
  language: string;
  locale: HassLocale;
  config: { time_zone: string; unit_system?: { length: string } };
  themes?: { darkMode?: boolean };
  user?: HassUser;
  states: Record<string, { state: string; attributes: Record<string, unknown> }>;
}

export interface Route {
  prefix: string;
  path: string;
}

export type Permission =
  | "view"
  | "preview"
  | "decide"
  | "pause"
  | "report"
  | "audit"
  | "link_self"
  | "manage_links";

export interface LatLon {
  latitude: number;
  longitude: number;
}

export interface Camera {
  entity_id: string;
  name: string;
  policy: "ask" | "never";
  location: LatLon | null;
  view_radius_m: number;
  // Compass bearing the camera faces and how wide it sees: a cone on the map.
  view_direction: number | null;
  view_angle: number;
}

/** Time in the window without footage; `reason` when the recorder knows it. */
export interface Gap {
  start: string;
  end: string;
  reason?: string | null;
}

export interface CameraFootage {
  entity_id: string;
  name: string;
  footage: "yes" | "no" | "unknown";
  // Holes the recorder's folder shows before any clip is cut (when it knows).
  gaps?: Gap[];
}

export type Area =
  | { type: "circle"; latitude: number; longitude: number; radius_m: number }
  | { type: "polygon"; points: [number, number][]; latitude: number; longitude: number };

export interface DecisionView {
  decision: "share" | "decline";
  by: string | null;
  channel: string | null;
  at: string;
  cameras: string[];
  include_audio: boolean;
}

export interface DeliveryView {
  camera: string;
  state: string;
  sha256: string;
  bytes: number;
  reason: string | null;
  at: string;
}

export interface RequestView {
  entry_id: string;
  key: string;
  request_id: string | null;
  revision: number;
  state: string;
  verified: boolean;
  first_seen: string;
  reasons: { path: string; reason: string }[];
  decision: DecisionView | null;
  deliveries: DeliveryView[];
  status?: string;
  issued_at?: string;
  expires_at?: string;
  window?: { start: string; end: string; seconds: number };
  incident?: {
    type: string;
    summary: string;
    case_number: string | null;
    reference_url: string | null;
  };
  legal?: { basis: string; reference: string | null };
  audio_requested?: boolean;
  contact?: { name: string | null; phone: string | null; email: string | null };
  public_url?: string | null;
  upload_host?: string;
  area?: Area;
  distance_to_area_m?: number;
  distance_to_centre_m?: number;
  cameras?: CameraFootage[];
}

export interface FeedView {
  entry_id: string;
  title: string;
  publisher: {
    id: string;
    name: string;
    kind: string;
    feed_host: string;
    fingerprints: string[];
  };
  permissions: Record<Permission, boolean>;
  paused: boolean;
  on_hold: boolean;
  home?: LatLon & { radius_m: number };
  cameras?: Camera[];
  requests?: RequestView[];
}

export interface Overview {
  feeds: FeedView[];
  user: { name: string; is_admin: boolean };
}

export interface PreviewResult {
  url: string;
  media_content_id: string;
  bytes: number;
  start: string;
  end: string;
  gaps: Gap[];
}

export interface RespondResult {
  recorded: boolean;
  error: { code: string; message: string } | null;
  request: RequestView;
}

export interface Recipient {
  telegram_user_id: string;
  name: string;
  user_id: string;
  linked_at: string;
  kind: "user" | "group";
}

export interface WsError {
  code: string;
  message: string;
}
