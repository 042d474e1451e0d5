"""One client's `neighborhood_requests/subscribe`: a snapshot, then every change.

The coordinator fires events for what a home must hear about (a new request, an
expiry, a withdrawal, a clip the inbox accepted), but not for every change a chat
message shows: a new revision of a pending request, a decision's author, a clip's
upload progress. So the subscription also remembers the view it last sent of each
request and, after every coordinator update, sends an `updated` change for each
one that now reads differently. A chat then always shows what the store says.

A relay (the bot) gets every request, each with its `audience` (see
`audience`): the chats that may see, preview and decide it, possibly none. A
change of links or of a user's rights sends the requests whose audience changed,
so a chat gains or loses a request at once; a request none may see still comes,
so the relay can take it away from a chat that saw it before a reconnect.

A reloaded entry (new options: other deciders, other cameras) brings a new
coordinator; the subscription follows it and sends what now reads differently,
so a decider removed in the options loses the buttons at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.auth import EVENT_USER_ADDED, EVENT_USER_REMOVED, EVENT_USER_UPDATED
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, EVENT_RECEIVED, STATE_PENDING, STATE_SHARED
from ..requests.intake import DECIDED
from ..requests.request_view import for_chat
from ..requests.store import RequestRecord
from .access import Action, allows
from .audience import audience
from .people import RECIPIENTS, decider_names

if TYPE_CHECKING:
    from homeassistant.auth.models import User

    from ..coordinator import FeedCoordinator

EVENT_UPDATED = "updated"
# Decided requests a reconnecting client still gets, so a chat can show how a
# decision it missed ended (and a delivery that finished while it was away).
RECENT_DECISIONS = timedelta(days=2)
FINAL_DELIVERY_STATES = frozenset({"delivered", "failed", "expired", "withdrawn"})

USER_EVENTS = (EVENT_USER_ADDED, EVENT_USER_UPDATED, EVENT_USER_REMOVED)

type Key = tuple[str, str]


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
        user: User,
        *,
        relay: bool = False,
    ) -> None:
        self._hass = hass
        self._send = send
        self._user = user
        self._relay = relay
        self._shown: dict[Key, dict[str, Any]] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._coordinators: list[FeedCoordinator] = []
        self._asked: set[str] = set()
        self._rereading = False

    def accepts(self, coordinator: FeedCoordinator) -> bool:
        """A relay follows every entry; a person those whose requests they see."""
        return self._relay or allows(coordinator.settings, self._user, Action.VIEW)

    @callback
    def start(self, coordinators: Iterable[FeedCoordinator]) -> dict[str, Any]:
        """Listen to the accepted `coordinators`; return the snapshot to send first."""
        pending: list[dict[str, Any]] = []
        decided: list[dict[str, Any]] = []
        for coordinator in coordinators:
            if not self.accepts(coordinator):
                continue
            self._attach(coordinator)
            for record in coordinator.data.pending:
                pending.append(self._view(coordinator, record))
            for record in recent_decisions(coordinator):
                decided.append(self._view(coordinator, record))
        self._unsubs.append(
            async_dispatcher_connect(
                self._hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._entry_changed
            )
        )
        if self._relay:
            bus = self._hass.bus
            self._unsubs += [
                self._hass.data[RECIPIENTS].async_add_listener(self._reread),
                *(bus.async_listen(kind, self._user_changed) for kind in USER_EVENTS),
            ]
        return {"snapshot": pending, "decided": decided}

    def _attach(self, coordinator: FeedCoordinator) -> None:
        self._coordinators.append(coordinator)
        self._unsubs += [
            coordinator.async_add_event_listener(partial(self._event, coordinator)),
            coordinator.async_add_listener(partial(self._update, coordinator)),
        ]

    @callback
    def _entry_changed(self, change: ConfigEntryChange, entry: ConfigEntry) -> None:
        """An entry (re)loaded: follow its new coordinator, send what changed."""
        if entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
            return
        coordinator: FeedCoordinator = entry.runtime_data.coordinator
        if coordinator in self._coordinators:
            return
        self._coordinators = [
            c for c in self._coordinators if c.config_entry.entry_id != entry.entry_id
        ]
        if self.accepts(coordinator):
            self._attach(coordinator)
            self._update(coordinator)

    @callback
    def stop(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    def _key(self, coordinator: FeedCoordinator, record: RequestRecord) -> Key:
        return coordinator.config_entry.entry_id, record.key

    def _render(
        self, coordinator: FeedCoordinator, record: RequestRecord
    ) -> dict[str, Any]:
        """The chat view; for a relay, with who may see, preview and decide it."""
        view = chat_view(self._hass, coordinator, record)
        if self._relay:
            view["audience"] = audience(self._hass, coordinator.settings)
        return view

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
        view = self._render(coordinator, record)
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
            view = self._render(coordinator, record)
        self._send({"event": event_type, "request": view})

    @callback
    def _update(self, coordinator: FeedCoordinator) -> None:
        """After a poll, push or decision: send each shown request that changed."""
        entry_id = coordinator.config_entry.entry_id
        # Pending ones oldest first (a chat that gains them reads them in order).
        keys = [(entry_id, r.key) for r in coordinator.data.pending]
        keys += sorted(k for k in self._shown if k[0] == entry_id and k not in keys)
        for key in keys:
            record = coordinator.store.get(key[1])
            if record is None:  # pragma: no cover - records are never deleted
                self._shown.pop(key, None)
                continue
            before = self._shown.get(key)
            view = self._view(coordinator, record)
            if view != before:
                self._send({"event": EVENT_UPDATED, "request": view})

    @callback
    def _user_changed(self, event: Event[Any]) -> None:
        """A user was added, changed (rights, activity) or removed."""
        self._reread()

    @callback
    def _reread(self) -> None:
        """Links or users changed: re-read the users, then resend what changed."""
        if self._rereading:
            return
        self._rereading = True

        async def reread() -> None:
            self._rereading = False
            await decider_names(self._hass).async_refresh()
            if not self._unsubs:
                return  # unsubscribed meanwhile
            for coordinator in self._coordinators:
                self._update(coordinator)

        self._hass.async_create_task(reread(), eager_start=False)

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
