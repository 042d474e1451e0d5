"""One client's `neighborhood_requests/subscribe`: a snapshot, then every change.

The coordinator fires events for what a home must hear about (a new request, an
expiry, a withdrawal, a clip the inbox accepted), but not for every change a chat
message shows: a new revision of a pending request, a decision's author, a clip's
upload progress. So the subscription also remembers the view it last sent of each
request and, after every coordinator update, sends an `updated` change for each
one that now reads differently. A chat then always shows what the store says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, EVENT_RECEIVED, STATE_PENDING, STATE_SHARED
from ..requests.intake import DECIDED
from ..requests.request_view import for_chat
from ..requests.store import Decision, RequestRecord
from .recipients import Recipients

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator

NAMES: HassKey[DeciderNames] = HassKey(f"{DOMAIN}_decider_names")
RECIPIENTS: HassKey[Recipients] = HassKey(f"{DOMAIN}_recipients")
EVENT_UPDATED = "updated"
# Decided requests a reconnecting client still gets, so a chat can show how a
# decision it missed ended (and a delivery that finished while it was away).
RECENT_DECISIONS = timedelta(days=2)
FINAL_DELIVERY_STATES = frozenset({"delivered", "failed", "expired", "withdrawn"})

type Key = tuple[str, str]


class DeciderNames:
    """Who decided, as a person reads it: the Telegram name, else the HA user's.

    Home Assistant only hands out users asynchronously, while coordinator
    updates arrive in callbacks, so the names are cached and refreshed before
    each subscribe and each respond.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._users: dict[str, str | None] = {}

    async def async_refresh(self, asked: Iterable[str] = ()) -> None:
        """Read every user's name; an `asked` id with no user stays nameless."""
        self._users = {
            user.id: user.name for user in await self._hass.auth.async_get_users()
        }
        for user_id in asked:
            self._users.setdefault(user_id, None)

    def knows(self, decision: Decision) -> bool:
        """Whether `name` can answer without asking Home Assistant again."""
        return (
            self._telegram_name(decision) is not None
            or decision.user_id is None
            or decision.user_id in self._users
        )

    def name(self, decision: Decision | None) -> str | None:
        if decision is None:
            return None
        if (telegram := self._telegram_name(decision)) is not None:
            return telegram
        if decision.user_id is None:
            return None
        return self._users.get(decision.user_id)

    def _telegram_name(self, decision: Decision) -> str | None:
        if decision.telegram_user is None:
            return None
        recipient = self._hass.data[RECIPIENTS].get(decision.telegram_user)
        return recipient.name if recipient is not None else None


def decider_names(hass: HomeAssistant) -> DeciderNames:
    """The shared name cache (created on first use)."""
    if NAMES not in hass.data:
        hass.data[NAMES] = DeciderNames(hass)
    return hass.data[NAMES]


def chat_view(
    hass: HomeAssistant, coordinator: FeedCoordinator, record: RequestRecord
) -> dict[str, Any]:
    """`for_chat` with the decider's display name filled in."""
    name = decider_names(hass).name(record.decision)
    return for_chat(coordinator, record, decided_by=name)


def recent_decisions(coordinator: FeedCoordinator) -> list[RequestRecord]:
    """Decided requests a (re)connecting client still gets with its snapshot."""
    since = dt_util.utcnow() - RECENT_DECISIONS
    return [
        record
        for record in coordinator.store
        if record.state in DECIDED
        and record.decision is not None
        and record.decision.at >= since
    ]


def _finished(record: RequestRecord) -> bool:
    """Nothing about this request will change what a chat shows any more."""
    if record.state == STATE_PENDING:
        return False
    if record.state != STATE_SHARED:
        return True
    deliveries = record.deliveries
    return bool(deliveries) and all(
        d.state in FINAL_DELIVERY_STATES for d in deliveries
    )


class ChatSubscription:
    """Sends one connection the changes to every request it was shown."""

    def __init__(
        self,
        hass: HomeAssistant,
        send: Callable[[dict[str, Any]], None],
    ) -> None:
        self._hass = hass
        self._send = send
        self._shown: dict[Key, dict[str, Any]] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._coordinators: list[FeedCoordinator] = []
        self._asked: set[str] = set()

    @callback
    def start(self, coordinators: Iterable[FeedCoordinator]) -> dict[str, Any]:
        """Listen to `coordinators`; return the snapshot to send first."""
        pending: list[dict[str, Any]] = []
        decided: list[dict[str, Any]] = []
        for coordinator in coordinators:
            self._coordinators.append(coordinator)
            for record in coordinator.data.pending:
                pending.append(self._view(coordinator, record))
            for record in recent_decisions(coordinator):
                decided.append(self._view(coordinator, record))
            self._unsubs += [
                coordinator.async_add_event_listener(partial(self._event, coordinator)),
                coordinator.async_add_listener(partial(self._update, coordinator)),
            ]
        return {"snapshot": pending, "decided": decided}

    @callback
    def stop(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    def _key(self, coordinator: FeedCoordinator, record: RequestRecord) -> Key:
        return coordinator.config_entry.entry_id, record.key

    def _view(
        self, coordinator: FeedCoordinator, record: RequestRecord
    ) -> dict[str, Any]:
        """The chat view of `record`, remembered as shown unless nothing can change."""
        decision = record.decision
        unnamed = False
        if decision is not None and decision.user_id is not None:
            unnamed = not decider_names(self._hass).knows(decision)
            if unnamed:
                self._learn(decision.user_id)
        view = chat_view(self._hass, coordinator, record)
        key = self._key(coordinator, record)
        if _finished(record) and not unnamed:
            self._shown.pop(key, None)
        else:
            self._shown[key] = view
        return view

    @callback
    def _event(
        self, coordinator: FeedCoordinator, event_type: str, record: RequestRecord
    ) -> None:
        key = self._key(coordinator, record)
        if event_type == EVENT_RECEIVED or key in self._shown:
            view = self._view(coordinator, record)
        else:
            view = chat_view(self._hass, coordinator, record)
        self._send({"event": event_type, "request": view})

    @callback
    def _update(self, coordinator: FeedCoordinator) -> None:
        """After a poll, push or decision: send each shown request that changed."""
        entry_id = coordinator.config_entry.entry_id
        keys = {key for key in self._shown if key[0] == entry_id}
        keys.update((entry_id, r.key) for r in coordinator.data.pending)
        for key in sorted(keys):
            record = coordinator.store.get(key[1])
            if record is None:  # pragma: no cover - records are never deleted
                self._shown.pop(key, None)
                continue
            before = self._shown.get(key)
            view = self._view(coordinator, record)
            if view != before:
                self._send({"event": EVENT_UPDATED, "request": view})

    def _learn(self, user_id: str) -> None:
        """A decider the name cache does not know yet: refresh it, then resend."""
        if self._asked:
            self._asked.add(user_id)
            return
        self._asked.add(user_id)

        async def learn() -> None:
            asked, self._asked = set(self._asked), set()
            await decider_names(self._hass).async_refresh(asked)
            if not self._unsubs:
                return  # unsubscribed meanwhile
            for coordinator in self._coordinators:
                self._update(coordinator)

        self._hass.async_create_task(learn(), eager_start=False)
