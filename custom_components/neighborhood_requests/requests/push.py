"""Webhook for publishers that push: the same verification path as a poll.

A push is all or nothing. Any entry with a bad or untrusted signature answers 401,
any other bad entry or body answers 400, and in both cases nothing is stored, so a
forged push cannot even land in the transparency report.
"""

from __future__ import annotations

from http import HTTPStatus

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..coordinator import FeedCoordinator
from ..protocol.errors import ProtocolError
from ..protocol.feed import read_capped
from . import feed_client
from .feed_client import FeedFetchError, decode_feed


def async_register_push(
    hass: HomeAssistant,
    entry: ConfigEntry,
    coordinator: FeedCoordinator,
    webhook_id: str,
) -> None:
    """Register the entry's webhook; it goes away with the entry."""

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        try:
            body = await read_capped(
                request.content.iter_chunked(64 * 1024), feed_client.MAX_BYTES
            )
        except ProtocolError:
            return web.Response(status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            feed = await hass.async_add_executor_job(
                decode_feed, body, coordinator.settings.url
            )
        except FeedFetchError:
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        status = await coordinator.async_push(feed)
        return web.Response(status=status)

    webhook.async_register(
        hass,
        "neighborhood_requests",
        entry.title,
        webhook_id,
        handle,
        allowed_methods=["POST"],
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))
