"""Request messages in Telegram's HTML parse mode, every outside value escaped.

A feed is written by someone else: a summary such as `<b>URGENT</b>` must show
as those characters, not as formatting, so every value from Home Assistant goes
through `html.escape` before it meets a template.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape
from typing import TYPE_CHECKING, Any

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
    cameras = [str(c) for c in payload.get("cameras") or []]
    return escape(", ".join(cameras)) if cameras else text(language, "no_cameras")


def _kind(payload: dict[str, Any], language: str) -> str:
    kind = str(payload.get("publisher_kind", "other"))
    try:
        return text(language, f"kind_{kind}")
    except KeyError:
        return escape(kind)


def render_request(tracked: Tracked, language: str, zone: tzinfo) -> str:
    """The request as a resident reads it, with the outcome once there is one."""
    p = tracked.payload
    legal = str(p.get("legal_basis", ""))
    legal_text = LEGAL_BASES.get(language, LEGAL_BASES["en"]).get(legal, legal)
    lines = [
        f"<b>{escape(str(p.get('publisher_name', '?')))}</b> ({_kind(p, language)})",
        text(language, "verified" if p.get("verified") else "unverified"),
        "",
        f"<b>{text(language, 'incident')}:</b> "
        f"{escape(str(p.get('incident_type', '?')))}",
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
    return "\n".join(lines)


def outcome_text(tracked: Tracked, language: str, zone: tzinfo) -> str:
    """One line saying how the request ended, and who decided it."""
    name = (
        escape(tracked.decided_by)
        if tracked.decided_by
        else text(language, "someone_in_ha")
    )
    when = local_time(tracked.decided_at, zone) if tracked.decided_at else "—"
    return text(
        language,
        OUTCOME_KEYS[tracked.status],
        name=name,
        when=when,
        error=escape(tracked.error or ""),
    )


def render_confirm(tracked: Tracked, language: str, zone: tzinfo, audio: bool) -> str:
    """The scope a resident confirms: who gets what, from which cameras, how long."""
    p = tracked.payload
    return text(
        language,
        "confirm",
        publisher=escape(str(p.get("publisher_name", "?"))),
        cameras=cameras_text(p, language),
        minutes=window_minutes(p),
        window=window_text(p, zone),
        audio=text(language, "audio_on" if audio else "audio_off"),
    )


def human_size(size: int) -> str:
    """Bytes as a resident reads them (decimal units, as Telegram states its limit)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"
