"""Preview clips as media-source items, so any HA client (and the bot) can play them.

A preview URI is handed to the person who asked for it, and resolving it needs a
token. Browsing lists the previews folder (clips live there for 24 hours), giving
each clip a token of its own, so the same token-only view serves both.
"""

from __future__ import annotations

from pathlib import Path
from typing import override

from homeassistant.components.media_player.const import MediaClass
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .footage.preview import PREVIEW_URL, PREVIEWS
from .footage.recording import previews_dir


async def async_get_media_source(hass: HomeAssistant) -> PreviewSource:
    """The media source platform's entry point."""
    return PreviewSource()


class PreviewSource(MediaSource):
    """Resolves `media-source://neighborhood_requests/<token>` to the clip's URL."""

    name = "Neighborhood Requests"

    def __init__(self) -> None:
        super().__init__(DOMAIN)

    @override
    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        if item.hass.data[PREVIEWS].get(item.identifier) is None:
            raise Unresolvable(
                translation_domain=DOMAIN, translation_key="unknown_preview"
            )
        return PlayMedia(PREVIEW_URL.format(token=item.identifier), "video/mp4")

    @override
    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        hass = item.hass
        clips = await hass.async_add_executor_job(_list_clips, previews_dir(hass))
        previews = hass.data[PREVIEWS]
        children = [
            BrowseMediaSource(
                domain=DOMAIN,
                identifier=previews.token_for(path),
                media_class=MediaClass.VIDEO,
                media_content_type="video/mp4",
                title=path.stem,
                can_play=True,
                can_expand=False,
            )
            for path in clips
        ]
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=None,
            media_class=MediaClass.DIRECTORY,
            media_content_type="",
            title=self.name,
            can_play=False,
            can_expand=True,
            children=children,
            children_media_class=MediaClass.VIDEO,
        )


def _list_clips(folder: Path) -> list[Path]:
    """Finished preview clips, newest first (temporary files start with a dot)."""
    found: list[tuple[float, Path]] = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        if path.suffix != ".mp4" or path.name.startswith("."):
            continue
        try:
            found.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # pruned while listing
            continue
    return [path for _, path in sorted(found, reverse=True)]
