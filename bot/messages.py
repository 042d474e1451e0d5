"""Request messages in Telegram's HTML parse mode, every outside value escaped.

A feed is written by someone else: a summary such as `<b>URGENT</b>` must show
as those characters, not as formatting, so every value from Home Assistant goes
through `html.escape` before it meets a template.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape
from typing import TYPE_CHECKING, Any

from bot.labels import incident_label, readable
from bot.texts import LEGAL_BASES, text

if TYPE_CHECKING:
    from bot.state import Tracked

OUTCOME_KEYS = {
    "shared": "outcome_shared",
    "declined": "outcome_declined",
    "share_failed": "outcome_share_failed",
    "expired": "outcome_expired",
    "cancelled": "outcome_cancelled",
    "closed": "outcome_closed",
}
# `camera_footage[].footage` -> its words.
UNCHECKED = "footage_unknown"
FOOTAGE_KEYS = {"yes": "footage_yes", "no": "footage_no", "unknown": UNCHECKED}
# The states of `Delivery` in the integration's store.
DELIVERY_STATES = frozenset(
    {"queued", "uploading", "delivered", "failed", "expired", "withdrawn", "held"}
)


def _time(value: Any, zone: tzinfo) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(zone)
    except ValueError:
        return None


def local_time(value: Any, zone: tzinfo, *, with_date: bool = True) -> str:
    """A feed timestamp in the home's time zone, or the raw value if unreadable."""
    moment = _time(value, zone)
    if moment is None:
        return escape(str(value))
    fmt = "%Y-%m-%d %H:%M %Z" if with_date else "%H:%M %Z"
    return escape(moment.strftime(fmt))


def window_minutes(payload: dict[str, Any]) -> int:
    start = _time(payload.get("window_start"), UTC)
    end = _time(payload.get("window_end"), UTC)
    if start is None or end is None:
        return 0
    return round((end - start).total_seconds() / 60)


def window_text(payload: dict[str, Any], zone: tzinfo) -> str:
    start = local_time(payload.get("window_start"), zone)
    end = local_time(payload.get("window_end"), zone, with_date=False)
    return f"{start} - {end}"


def cameras_text(payload: dict[str, Any], language: str) -> str:
    """The cameras that may share, each with whether it recorded the window.

    `camera_footage` is newer than `cameras`; a Home Assistant without it gets
    the plain list.
    """
    footage = payload.get("camera_footage")
    if isinstance(footage, list) and footage:
        return ", ".join(
            f"{escape(str(c.get('name') or c.get('entity_id') or '?'))} "
            f"({text(language, FOOTAGE_KEYS.get(str(c.get('footage')), UNCHECKED))})"
            for c in footage
            if isinstance(c, dict)
        )
    cameras = [str(c) for c in payload.get("cameras") or []]
    return escape(", ".join(cameras)) if cameras else text(language, "no_cameras")


def _kind(payload: dict[str, Any], language: str) -> str:
    kind = str(payload.get("publisher_kind", "other"))
    try:
        return text(language, f"kind_{kind}")
    except KeyError:
        return escape(readable(kind).lower())


def render_request(
    tracked: Tracked, language: str, zone: tzinfo, *, view_only: bool = False
) -> str:
    """The request as a resident reads it, with the outcome once there is one.

    `view_only`: the chat may read it but not preview or answer it, and says so.
    """
    p = tracked.payload
    legal = str(p.get("legal_basis", ""))
    legal_text = LEGAL_BASES.get(language, LEGAL_BASES["en"]).get(
        legal, readable(legal)
    )
    lines = [
        f"<b>{escape(str(p.get('publisher_name', '?')))}</b> ({_kind(p, language)})",
        text(language, "verified" if p.get("verified") else "unverified"),
        "",
        f"<b>{text(language, 'incident')}:</b> "
        f"{escape(incident_label(language, p.get('incident_type')))}",
    ]
    if summary := p.get("summary"):
        lines.append(f"<i>{escape(str(summary))}</i>")
    lines += [
        f"<b>{text(language, 'case')}:</b> {escape(str(p.get('case_number') or '—'))}",
        f"<b>{text(language, 'legal')}:</b> {escape(legal_text)}",
        f"<b>{text(language, 'window')}:</b> {window_text(p, zone)} "
        f"({text(language, 'minutes', minutes=window_minutes(p))})",
    ]
    if "distance_m" in p:
        lines.append(f"<b>{text(language, 'distance')}:</b> ≈{int(p['distance_m'])} m")
    lines += [
        f"<b>{text(language, 'cameras')}:</b> {cameras_text(p, language)}",
        f"<b>{text(language, 'expires')}:</b> {local_time(p.get('expires_at'), zone)}",
    ]
    if p.get("audio_requested"):
        lines.append(f"<b>{text(language, 'audio_requested')}</b>")
    if tracked.status in OUTCOME_KEYS:
        lines += ["", outcome_text(tracked, language, zone)]
    elif view_only:
        lines += ["", text(language, "view_only")]
    return "\n".join(lines)


def outcome_text(tracked: Tracked, language: str, zone: tzinfo) -> str:
    """How the request ended and who decided it; for a share, each clip's upload."""
    name = (
        escape(tracked.decided_by)
        if tracked.decided_by
        else text(language, "someone_in_ha")
    )
    when = local_time(tracked.decided_at, zone) if tracked.decided_at else "—"
    lines = [
        text(
            language,
            OUTCOME_KEYS[tracked.status],
            name=name,
            when=when,
            error=escape(tracked.error or ""),
        )
    ]
    if tracked.status in ("shared", "share_failed"):
        lines += delivery_lines(tracked, language)
    return "\n".join(lines)


def delivery_lines(tracked: Tracked, language: str) -> list[str]:
    """Each clip's upload as Home Assistant reports it, or what was queued."""
    deliveries = tracked.payload.get("deliveries") or []
    if not deliveries:
        if not tracked.queued:
            return []
        cameras = escape(", ".join(tracked.queued))
        return [text(language, "queued", cameras=cameras)]
    lines = []
    for delivery in deliveries:
        state = str(delivery.get("state"))
        key = f"delivery_{state if state in DELIVERY_STATES else 'queued'}"
        lines.append(
            text(
                language,
                key,
                camera=escape(str(delivery.get("camera", "?"))),
                size=human_size(int(delivery.get("bytes") or 0)),
                sha=escape(str(delivery.get("sha256") or "")[:6]),
                reason=escape(reason_in(delivery, language)),
            )
        )
    return lines


def venue(
    payload: dict[str, Any], language: str
) -> tuple[float, float, str, str] | None:
    """The request's area as a Telegram venue: latitude, longitude, title, address.

    A venue is plain text (no parse mode), so nothing here is HTML-escaped.
    """
    centre = payload.get("area_center")
    try:
        lat, lon = float(centre["lat"]), float(centre["lon"])  # type: ignore[index]
    except KeyError, TypeError, ValueError:
        return None
    incident = incident_label(language, payload.get("incident_type"))
    title = f"{payload.get('publisher_name', '?')}: {incident}"
    radius = int(payload.get("radius_m") or 0)
    return lat, lon, title[:100], text(language, "venue_address", radius=radius)


def render_confirm(tracked: Tracked, language: str, zone: tzinfo, audio: bool) -> str:
    """The scope a resident confirms: who gets what, from which cameras, how long,
    and where the footage has holes (the clip skips them, so they are said)."""
    p = tracked.payload
    confirm = text(
        language,
        "confirm",
        publisher=escape(str(p.get("publisher_name", "?"))),
        cameras=cameras_text(p, language),
        minutes=window_minutes(p),
        window=window_text(p, zone),
        audio=text(language, "audio_on" if audio else "audio_off"),
    )
    gaps = gaps_text(p, zone, language)
    if gaps:
        confirm += "\n" + text(language, "confirm_gaps", gaps=gaps)
    return confirm


def gaps_text(payload: dict[str, Any], zone: tzinfo, language: str = "en") -> str:
    """`Porch 10:42:10-10:42:44: camera offline; ...` from
    `camera_footage[].gaps` (or empty); a reason this bot does not know reads
    as no footage."""
    parts = []
    for camera in payload.get("camera_footage") or []:
        if not isinstance(camera, dict):
            continue
        name = escape(str(camera.get("name") or camera.get("entity_id") or "?"))
        for gap in camera.get("gaps") or []:
            try:
                start = datetime.fromisoformat(str(gap["start"])).astimezone(zone)
                end = datetime.fromisoformat(str(gap["end"])).astimezone(zone)
            except KeyError, TypeError, ValueError:
                continue
            offline = gap.get("reason") == "camera_offline"
            why = text(language, "gap_camera_offline" if offline else "gap_no_footage")
            parts.append(f"{name} {start:%H:%M:%S}-{end:%H:%M:%S}: {why}")
    return "; ".join(parts)


def human_size(size: int) -> str:
    """Bytes as a resident reads them (decimal units, as Telegram states its limit)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def reason_in(delivery: dict[str, Any], language: str) -> str:
    """Why a clip waits or failed, in the chat's language when Home Assistant says it.

    Home Assistant sends the reason in every language it ships (`reason_words`)
    beside the English of its audit log; an older one sends only the English.
    """
    words = delivery.get("reason_words")
    if isinstance(words, dict) and isinstance(words.get(language), str):
        return str(words[language])
    return str(delivery.get("reason") or "?")
