"""Preview clips as media-source items, for the person each one was made for.

Browsing lists only the previews the asking user may see (their own, or every
one of an entry they decide for); resolving another person's token is refused,
audited, and yields no URL. Home Assistant passes no user to a media source, so
the user is the one of the websocket message or HTTP request being served; with
none (an automation), nothing resolves.
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

from .consent.access import Surface, current_user
from .const import DOMAIN
from .footage.preview import PREVIEW_URL, PREVIEWS


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
        previews = item.hass.data[PREVIEWS]
        preview = previews.get(item.identifier)
        if preview is None:
            raise Unresolvable(
                translation_domain=DOMAIN, translation_key="unknown_preview"
            )
        if not await previews.async_admit(
            preview, current_user(), Surface.MEDIA_SOURCE
        ):
            raise Unresolvable(
                translation_domain=DOMAIN, translation_key="not_allowed_preview"
            )
        return PlayMedia(PREVIEW_URL.format(token=item.identifier), "video/mp4")

    @override
    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        hass = item.hass
        visible = hass.data[PREVIEWS].visible(current_user())
        exists = await hass.async_add_executor_job(
            lambda: {token for token, p in visible if p.path.is_file()}
        )
        children = [
            BrowseMediaSource(
                domain=DOMAIN,
                identifier=token,
                media_class=MediaClass.VIDEO,
                media_content_type="video/mp4",
                title=preview.title,
                can_play=True,
                can_expand=False,
            )
            for token, preview in visible
            if token in exists
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
