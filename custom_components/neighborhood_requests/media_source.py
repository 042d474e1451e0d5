"""Preview clips as media-source items, so any HA client (and the bot) can play them.

Nothing is browsable: a preview URI is handed to the person who asked for it, and
resolving it needs a token only that person received.
"""

from __future__ import annotations

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
from .preview import PREVIEW_URL, PREVIEWS


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
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=None,
            media_class=MediaClass.DIRECTORY,
            media_content_type="",
            title=self.name,
            can_play=False,
            can_expand=True,
            children=[],
        )
