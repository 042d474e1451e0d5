"""Share, Decline and Preview: asking Home Assistant, then showing its answer.

The bot decides nothing itself. It passes the resident's choice to
`neighborhood_requests/respond` as that Telegram user and shows what Home
Assistant answered, errors included: a share whose export failed is shown as a
consent given and an export that failed, never as a success. Decisions on one
request run one at a time (the request's lock), so when two members of a
household tap at once, the first decision is sent and the second is told who
decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape, unescape
import logging
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.ha_errors import HAClientError, HAError
from bot.messages import human_size, outcome_text
from bot.relay import DOMAIN
from bot.state import OPEN
from bot.texts import text

if TYPE_CHECKING:
    from bot.relay import Relay
    from bot.state import Tracked

_LOGGER = logging.getLogger(__name__)

RESPOND = f"{DOMAIN}/respond"
PREVIEW = f"{DOMAIN}/preview"
RESOLVE_MEDIA = "media_source/resolve_media"
UPLOAD_LIMIT_BYTES = 50 * 1000 * 1000


@dataclass
class Decisions:
    """Turns a resident's tap into a Home Assistant call, and its answer into text."""

    relay: Relay
    session: aiohttp.ClientSession
    upload_limit_bytes: int = UPLOAD_LIMIT_BYTES

    def closed_answer(self, tracked: Tracked, language: str) -> str:
        """Why a tap on a request that is no longer open does nothing."""
        if tracked.status in ("shared", "declined", "share_failed"):
            name = tracked.decided_by or text(language, "someone_in_ha")
            return text(language, "already_decided", name=name)
        return text(language, "not_open")

    async def decide(self, user_id: int, key: str, decision: str, audio: bool) -> str:
        """Send one decision; return the answer (plain text) for the tapping user.

        Home Assistant answers with the request as it now stands (who decided,
        the cameras handed to the upload queue) or, when it recorded a share
        but could not export it, with that error beside the recorded consent.
        """
        relay, state = self.relay, self.relay.state
        language = relay.language(user_id)
        async with relay.lock(key):
            tracked = state.requests[key]
            if tracked.status != OPEN:
                return self.closed_answer(tracked, language)
            name = state.linked.get(user_id, str(user_id))
            relay.deciding[key] = name
            try:
                result = await relay.client.call(
                    RESPOND,
                    config_entry_id=tracked.payload["config_entry_id"],
                    request_id=tracked.payload["request_id"],
                    decision=decision,
                    include_audio=audio,
                    telegram_user_id=str(user_id),
                    language=language,
                )
            except HAError as err:
                return await self._refused(tracked, err, language)
            except HAClientError:
                return text(language, "ha_down")
            finally:
                relay.deciding.pop(key, None)
            answer = result if isinstance(result, dict) else {}
            if isinstance(payload := answer.get("request"), dict):
                tracked.payload = payload
            tracked.decided_by = str(tracked.payload.get("decided_by") or name)
            tracked.queued = [str(c) for c in answer.get("queued") or []]
            status = "shared" if decision == "share" else "declined"
            error = answer.get("error")
            if isinstance(error, dict):
                status = "share_failed"
                message = str(error.get("message") or error.get("code"))
                await relay.finish(tracked, status, message)
            else:
                await relay.finish(tracked, status)
            state.save()
            return unescape(outcome_text(tracked, language, relay.zone))

    async def _refused(self, tracked: Tracked, err: HAError, language: str) -> str:
        """Home Assistant refused the decision: nothing was recorded."""
        relay = self.relay
        if err.code == "already_decided":
            await relay.finish(tracked, "closed")
            return text(language, "not_open")
        if err.code == "request_expired":
            await relay.finish(tracked, "expired")
            return text(language, "not_open")
        if err.code == "unauthorized":  # unlinked in Home Assistant meanwhile
            try:
                await relay.refresh_recipients()
            except HAClientError:
                _LOGGER.warning("could not re-read the linked recipients")
            return text(language, "not_linked")
        return text(language, "ha_error", error=err.message or err.code)

    async def preview(self, user_id: int, key: str) -> list[str]:
        """Ask for one preview clip per camera and send each one that fits Telegram.

        Asked for as the tapping Telegram user, so Home Assistant makes the clip
        for that resident, if they may preview, and lets only this connection
        fetch it for them. Returns what to tell the user about each camera that
        could not be sent.
        """
        relay = self.relay
        language = relay.language(user_id)
        tracked = relay.state.requests[key]
        notes: list[str] = []
        for camera in tracked.payload.get("cameras") or []:
            try:
                clip = await relay.client.call(
                    PREVIEW,
                    config_entry_id=tracked.payload["config_entry_id"],
                    request_id=tracked.payload["request_id"],
                    camera=camera,
                    telegram_user_id=str(user_id),
                    language=language,
                    max_bytes=self.upload_limit_bytes,
                )
                size = int(clip["bytes"])
                excerpt = clip.get("excerpt")
                if size <= self.upload_limit_bytes:
                    video = await self._download(clip["media_content_id"])
                    caption = text(
                        language,
                        "preview_sent",
                        camera=escape(camera),
                        size=human_size(len(video)),
                    )
                elif isinstance(excerpt, dict):
                    video = await self._download(excerpt["media_content_id"])
                    caption = text(
                        language,
                        "preview_excerpt",
                        camera=escape(camera),
                        size=human_size(size),
                        seconds=int(excerpt.get("seconds") or 0),
                        excerpt_size=human_size(len(video)),
                    )
                else:
                    notes.append(
                        text(
                            language,
                            "preview_too_big",
                            camera=escape(camera),
                            size=human_size(size),
                        )
                    )
                    continue
            except HAError as err:
                error = escape(err.message or err.code)
                notes.append(text(language, "preview_failed", error=error))
                continue
            except (HAClientError, aiohttp.ClientError) as err:
                _LOGGER.warning("preview of %s failed: %s", camera, err)
                notes.append(text(language, "ha_down"))
                continue
            await relay.sender.send_video(user_id, video, caption, f"{camera}.mp4")
        return notes

    async def _download(self, media_content_id: str) -> bytes:
        """Resolve the media-source id to a signed URL on HA and fetch the clip."""
        relay = self.relay
        resolved: dict[str, Any] = await relay.client.call(
            RESOLVE_MEDIA, media_content_id=media_content_id, expires=60
        )
        url = relay.client.ha_url + str(resolved["url"])
        async with self.session.get(url, raise_for_status=True) as response:
            return await response.read()
