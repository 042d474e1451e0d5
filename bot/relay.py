"""Home Assistant's pending requests, mirrored into every linked resident's chat.

Events are not replayed after a reconnect; the state is. So after every
(re)connection the relay reads the snapshot of pending requests and compares it
with what it has shown: a new request is sent, a new revision edits the message,
a request that vanished while the bot was away is marked as no longer open, and
one already shown unchanged is left alone. Nothing is missed, nothing sent twice.
Every change to a request happens under that request's lock, so a button tap and
an event about the same request never interleave.

Who sees what is Home Assistant's answer, not the bot's: the relay subscription
carries, with each request, the Telegram ids that may see it, preview it and
decide it (`audience`). A request goes only to the chats in `view`; Preview is
offered only to `preview`, Share and Decline only to `decide`; a chat that
drops out of `view` (unlinked, or no longer allowed) loses the request at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
import logging
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.keyboards import AUDIO, CANCEL, CONFIRM, Offer, request_keyboard
from bot.messages import outcome_text, render_request, venue
from bot.state import OPEN, Prompt, Tracked, request_key
from bot.texts import text

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from bot.ha_client import HAClient, HAConnection, Subscription
    from bot.sender import Sender
    from bot.state import BotState

_LOGGER = logging.getLogger(__name__)

DOMAIN = "neighborhood_requests"
SUBSCRIBE = f"{DOMAIN}/subscribe"
RECIPIENTS = f"{DOMAIN}/recipients"
PENDING = "pending"
GROUP = "group"  # a recipient's `kind` for a group chat HA linked explicitly
# Home Assistant's record state -> how the bot shows the end; others are "closed".
ENDED = {
    "shared": "shared",
    "declined": "declined",
    "expired": "expired",
    "cancelled": "cancelled",
}
CONFIRM_ACTIONS = frozenset({AUDIO, CONFIRM, CANCEL})


def audience(payload: dict[str, Any], right: str) -> set[int]:
    """The Telegram ids Home Assistant lets `view`, `preview` or `decide`."""
    found = payload.get("audience")
    ids = found.get(right) if isinstance(found, dict) else None
    chats: set[int] = set()
    for value in ids if isinstance(ids, list) else []:
        try:
            chats.add(int(value))
        except TypeError, ValueError:
            continue
    return chats


def may(payload: dict[str, Any], right: str, user_id: int) -> bool:
    """Whether Home Assistant lets this Telegram user `preview` or `decide`."""
    return user_id in audience(payload, right)


def _content(payload: dict[str, Any]) -> dict[str, Any]:
    """What a message shows, without who may see it."""
    return {k: v for k, v in payload.items() if k != "audience"}


@dataclass
class Relay:
    """Owns the bot's view of the requests and every message that shows one."""

    state: BotState
    sender: Sender
    client: HAClient
    default_language: str
    zone: tzinfo = UTC
    deciding: dict[str, str] = field(default_factory=dict)
    synced: asyncio.Condition = field(default_factory=asyncio.Condition)
    reconciles: int = 0
    names: dict[int, str] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _events: asyncio.Task[None] | None = None
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    def lock(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    def language(self, user_id: int) -> str:
        return self.state.language(user_id, self.default_language)

    # -- connection ------------------------------------------------------------

    async def on_connect(self, connection: HAConnection) -> None:
        """HAClient's hook: time zone, recipients, snapshot, then live events."""
        if self._events is not None:
            self._events.cancel()
        ha_config = await connection.call("get_config")
        try:
            self.zone = ZoneInfo(str(ha_config.get("time_zone") or "UTC"))
        except ZoneInfoNotFoundError, ValueError:
            self.zone = UTC
        await self.refresh_recipients(connection)
        # As a relay, this connection can only ever act for a named Telegram user.
        subscription = await connection.subscribe(SUBSCRIBE, relay=True)
        first = await anext(subscription)
        await self.reconcile(
            list(first.get("snapshot") or []), list(first.get("decided") or [])
        )
        self._events = asyncio.create_task(
            self._consume(subscription), name="ha-request-events"
        )

    async def close(self) -> None:
        tasks = [*self._background, *([self._events] if self._events else [])]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` in the background, kept referenced until it ends."""
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def refresh_recipients(self, connection: HAConnection | None = None) -> None:
        """Who is linked, as Home Assistant says (the bot's user must be an admin)."""
        call = connection.call if connection is not None else self.client.call
        answer = await call(RECIPIENTS)
        linked: dict[int, str] = {}
        groups: dict[int, str] = {}
        for recipient in answer.get("recipients", []):
            found = groups if recipient.get("kind") == GROUP else linked
            try:
                found[int(recipient["telegram_user_id"])] = str(recipient["name"])
            except KeyError, TypeError, ValueError:
                _LOGGER.warning("ignoring a recipient Telegram cannot address")
        self.state.linked = linked
        self.state.groups = groups
        self.state.save()

    async def reconcile(
        self,
        snapshot: list[dict[str, Any]],
        decided: list[dict[str, Any]] | None = None,
    ) -> None:
        """Make every chat show exactly the requests pending in Home Assistant.

        `decided` holds recent decisions: one the bot missed while away is shown
        with who decided it (and a share's uploads), not as "no longer open".
        """
        seen: set[str] = set()
        for payload in snapshot:
            seen.add(request_key(payload))
            await self.show(payload)
        for payload in decided or []:
            key = request_key(payload)
            if (tracked := self.state.requests.get(key)) is not None:
                seen.add(key)
                async with self.lock(key):
                    await self._conclude(tracked, payload)
        for key, tracked in list(self.state.requests.items()):
            if tracked.status == OPEN and key not in seen:
                async with self.lock(key):
                    await self._finish(tracked, "closed")
        self.state.prune(datetime.now(UTC))
        self.state.save()
        async with self.synced:
            self.reconciles += 1
            self.synced.notify_all()

    async def _consume(self, subscription: Subscription) -> None:
        try:
            async for event in subscription:
                try:
                    await self.handle_event(event)
                except Exception:
                    _LOGGER.exception("could not relay %.200r", event)
        except Exception as err:
            _LOGGER.info("request events ended (%s); waiting for a reconnect", err)

    async def handle_event(self, event: dict[str, Any]) -> None:
        """One change from Home Assistant: a new request, a revision, or an end.

        Home Assistant sends the request as it now stands, so the message is
        drawn from that: a pending one is (re)drawn with its buttons, any other
        shows how it ended, who decided, and each clip's upload. The event's
        name (received, updated, shared, …) therefore changes nothing here.
        """
        payload = event.get("request")
        if not isinstance(payload, dict):
            return
        key = request_key(payload)
        tracked = self.state.requests.get(key)
        if payload.get("state") == PENDING:
            if tracked is None or tracked.status in (OPEN, "closed"):
                await self.show(payload)  # new, or a new revision: edit in place
            return
        if tracked is None:
            return
        async with self.lock(key):
            await self._conclude(tracked, payload)
            self.state.save()

    async def _conclude(self, tracked: Tracked, payload: dict[str, Any]) -> None:
        """Show how a request ended, or what became of it since (caller locks)."""
        if tracked.status != OPEN and payload == tracked.payload:
            return  # already shown (e.g. the bot's own decision, echoed)
        status = ENDED.get(str(payload.get("state")), "closed")
        tracked.payload = payload
        if by := payload.get("decided_by"):
            tracked.decided_by = str(by)
        # "closed" (HA refused a decision as already made) still learns who made it.
        reopened = tracked.status == "closed" and status != "closed"
        if tracked.status == OPEN or reopened:
            if status in ("shared", "declined"):
                tracked.decided_by = tracked.decided_by or self.deciding.get(
                    tracked.key
                )
            await self._finish(tracked, status)
            return
        await asyncio.gather(  # a share's upload progress, or a late name
            *(self._show_outcome(tracked, p) for p in tracked.prompts.values())
        )

    # -- messages --------------------------------------------------------------

    async def show(self, payload: dict[str, Any]) -> None:
        """Send a pending request to the chats that may see it, or update them."""
        key = request_key(payload)
        async with self.lock(key):
            tracked = self.state.requests.get(key)
            before = tracked.payload if tracked is not None else payload
            if tracked is None:
                tracked = self.state.requests[key] = Tracked(key, payload)
                changed = moved = False
            else:
                changed = _content(payload) != _content(tracked.payload)
                moved = payload.get("area_center") != tracked.payload.get("area_center")
                if tracked.status == "closed":
                    tracked.status, changed = OPEN, True
                tracked.payload = payload
            if tracked.status != OPEN:
                return
            chats = audience(payload, "view")
            await asyncio.gather(
                *(
                    self._withdraw(tracked, chat_id)
                    for chat_id in list(tracked.prompts)
                    if chat_id not in chats
                ),
                *(
                    self._show_to(
                        tracked,
                        chat_id,
                        changed
                        or self._offer(before, chat_id)
                        != self._offer(payload, chat_id),
                        moved,
                    )
                    for chat_id in sorted(chats)
                ),
            )
            self.state.save()

    def _offer(self, payload: dict[str, Any], chat_id: int) -> Offer:
        """Which buttons a chat gets: for a group, whatever any member may do."""
        if chat_id in self.state.groups:
            return Offer(
                preview=bool(audience(payload, "preview")),
                decide=bool(audience(payload, "decide")),
            )
        return Offer(
            preview=may(payload, "preview", chat_id),
            decide=may(payload, "decide", chat_id),
        )

    async def _withdraw(self, tracked: Tracked, chat_id: int) -> None:
        """A chat Home Assistant no longer lets see the request loses it."""
        prompt = tracked.prompts.pop(chat_id)
        self.state.drop_buttons(tracked.key, chat_id)
        notice = text(self.language(chat_id), "no_longer_shown")
        await self.sender.edit(chat_id, prompt.message_id, notice)
        if prompt.confirm_id is not None:
            await self.sender.edit(chat_id, prompt.confirm_id, notice)

    async def _show_to(
        self, tracked: Tracked, chat_id: int, changed: bool, moved: bool
    ) -> None:
        """Send the request to one chat, or edit its message in place.

        The area follows as a venue under the message (after it, so the text
        arrives first), and again only if a revision moves the area.
        """
        prompt = tracked.prompts.get(chat_id)
        if prompt is not None and not changed:
            return
        language = self.language(chat_id)
        offer = self._offer(tracked.payload, chat_id)
        html = render_request(tracked, language, self.zone, view_only=not offer)
        self.state.drop_buttons(tracked.key, chat_id)
        markup = request_keyboard(self.state, tracked.key, chat_id, language, offer)
        place = venue(tracked.payload, language)
        if prompt is None:
            message = await self.sender.send(chat_id, html, markup)
            if message is not None:
                tracked.prompts[chat_id] = Prompt(chat_id, message.message_id)
                if place is not None:
                    await self.sender.send_venue(chat_id, place, message.message_id)
            return
        await self.sender.edit(chat_id, prompt.message_id, html, markup)
        if moved and place is not None:
            await self.sender.send_venue(chat_id, place, prompt.message_id)
        if prompt.confirm_id is not None:
            await self.sender.edit(
                chat_id, prompt.confirm_id, text(language, "confirm_cancelled")
            )
            tracked.prompts[chat_id] = Prompt(chat_id, prompt.message_id)

    async def finish(
        self, tracked: Tracked, status: str, error: str | None = None
    ) -> None:
        """Record how a request ended and show it everywhere (caller holds the lock)."""
        await self._finish(tracked, status, error)
        self.state.save()

    async def _finish(
        self, tracked: Tracked, status: str, error: str | None = None
    ) -> None:
        tracked.status = status
        tracked.error = error
        tracked.decided_at = str(
            tracked.payload.get("decided_at")
            or datetime.now(UTC).isoformat(timespec="seconds")
        )
        # The tokens stay until `BotState.prune`: a late tap on an old keyboard
        # is then answered "Already decided by …" (callbacks act only on open
        # requests), not "no longer valid".
        await asyncio.gather(
            *(
                self._show_outcome(tracked, prompt)
                for prompt in tracked.prompts.values()
            )
        )
        tracked.prompts = {
            chat_id: Prompt(chat_id, p.message_id)
            for chat_id, p in tracked.prompts.items()
        }

    async def _show_outcome(self, tracked: Tracked, prompt: Prompt) -> None:
        language = self.language(prompt.chat_id)
        html = render_request(tracked, language, self.zone)
        await self.sender.edit(prompt.chat_id, prompt.message_id, html)
        if prompt.confirm_id is not None:
            await self.sender.edit(
                prompt.chat_id,
                prompt.confirm_id,
                outcome_text(tracked, language, self.zone),
            )

    async def wait_synced(self, count: int) -> None:
        """Wait until `count` reconciliations have finished (for tests and bench)."""
        async with self.synced:
            await self.synced.wait_for(lambda: self.reconciles >= count)
