"""Telegram recipients linked to Home Assistant users through one-time codes.

The bot never learns a Home Assistant password: a code is created in Home
Assistant for one user (valid 10 minutes, usable once) and sent to the bot,
which completes the pairing. A decision made in Telegram is then recorded as
that resident's decision, with the Telegram user beside it.

Who may create which code is the access model's answer (see `websocket_links`);
this registry keeps the rules a code carries with it:
- a link of a Telegram account that is already linked to someone else is only
  replaced by a code an administrator created, never by the bot's say-so;
- wrong codes are throttled per Telegram account (`MAX_FAILURES` within
  `FAILURE_WINDOW`), and misuse of a real code (sent in the wrong kind of chat,
  or to take over a link) counts against that code alone: nobody's wrong guess
  voids anyone else's code;
- every link and unlink is written to the audit log of every loaded entry
  (`consent.trail`), and an entry that loads later first records the links in
  force (`async_account_for`), so each feed's log accounts for who could see
  and decide its requests.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import json
import secrets
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from .trail import async_audit_everywhere, loaded_coordinators

if TYPE_CHECKING:
    from ..coordinator import FeedCoordinator

KIND_USER = "user"
KIND_GROUP = "group"
CODE_LIFETIME = timedelta(minutes=10)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
STORAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Recipient:
    """A linked Telegram user, or a group chat HA linked explicitly.

    For a group, `telegram_user_id` is the group's chat id and `name` its
    title; a group only receives requests, it never decides (its members
    answer as the linked residents they are).
    """

    telegram_user_id: str
    name: str
    user_id: str
    linked_at: datetime
    kind: str = KIND_USER

    def as_dict(self) -> dict[str, Any]:
        return {
            "telegram_user_id": self.telegram_user_id,
            "name": self.name,
            "user_id": self.user_id,
            "linked_at": self.linked_at.isoformat(),
            "kind": self.kind,
        }


@dataclass(slots=True)
class _Code:
    user_id: str
    expires_at: datetime
    group: bool
    created_by: str
    by_admin: bool
    misuses: int = 0


class PairingError(Exception):
    """Why a pairing code was refused; `reason` is the error code the bot reads."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Recipients:
    """Linked recipients (persisted) and open pairing codes (memory only).

    Codes are deliberately not persisted: a restart simply voids them.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.recipients", private=True
        )
        self._recipients: dict[str, Recipient] = {}
        self._codes: dict[str, _Code] = {}
        self._failures: dict[str, deque[datetime]] = {}
        # Per entry: the digest of the links its audit log last accounted for.
        self._accounted: dict[str, str] = {}
        self._listeners: list[Callable[[], None]] = []

    async def async_load(self) -> None:
        data = await self._store.async_load() or {}
        self._recipients = {
            item["telegram_user_id"]: Recipient(
                telegram_user_id=item["telegram_user_id"],
                name=item["name"],
                user_id=item["user_id"],
                linked_at=datetime.fromisoformat(item["linked_at"]),
                kind=item.get("kind", KIND_USER),
            )
            for item in data.get("recipients", [])
        }
        self._accounted = dict(data.get("accounted", {}))

    async def _async_save(self) -> None:
        """Links are rare and precious: written at once, not on a delay."""
        await self._store.async_save(
            {
                "recipients": [r.as_dict() for r in self._recipients.values()],
                "accounted": self._accounted,
            }
        )

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` after every link and unlink."""
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    def create_code(
        self, user_id: str, *, created_by: str, by_admin: bool, group: bool = False
    ) -> tuple[str, datetime]:
        """A fresh single-use code for `user_id`; an older open one is replaced.

        A group code links a group chat, a normal code a person: the two are
        kept apart so a code meant for one cannot link the other. `by_admin`
        says whether an administrator made it, the only authority that may
        move an existing link to someone else.
        """
        now = dt_util.utcnow()
        self._codes = {
            code: entry
            for code, entry in self._codes.items()
            if (entry.user_id, entry.group) != (user_id, group)
            and entry.expires_at > now
        }
        code = f"{secrets.randbelow(1_000_000):06d}"
        while code in self._codes:  # pragma: no cover - one in a million
            code = f"{secrets.randbelow(1_000_000):06d}"
        expires_at = now + CODE_LIFETIME
        self._codes[code] = _Code(user_id, expires_at, group, created_by, by_admin)
        return code, expires_at

    def _throttled(self, telegram_user_id: str, now: datetime) -> bool:
        failures = self._failures.get(telegram_user_id)
        if failures is None:
            return False
        while failures and now - failures[0] >= FAILURE_WINDOW:
            failures.popleft()
        if not failures:
            del self._failures[telegram_user_id]
        return len(failures) >= MAX_FAILURES

    def _failed(self, telegram_user_id: str, now: datetime) -> None:
        self._failures.setdefault(telegram_user_id, deque()).append(now)

    def _misused(self, code: str, entry: _Code) -> None:
        """A real code used the wrong way: after `MAX_FAILURES`, that code is void."""
        entry.misuses += 1
        if entry.misuses >= MAX_FAILURES:
            self._codes.pop(code, None)

    async def async_complete(
        self, code: str, telegram_user_id: str, name: str, *, group: bool = False
    ) -> Recipient:
        """Consume `code` and link the Telegram user (or group) to its HA user.

        A group code sent in a private chat stays valid (only its sender saw
        it). A personal code sent in a group was read by everyone there, so it
        is voided: anyone in the group could otherwise link themselves with it.
        Every refusal is audited; a throttled account is refused before its
        code is even looked at.
        """
        now = dt_util.utcnow()
        try:
            return await self._complete(code, telegram_user_id, name, group, now)
        except PairingError as err:
            await async_audit_everywhere(
                self._hass,
                {
                    "type": "pairing_refused",
                    "reason": err.reason,
                    "telegram_user": telegram_user_id,
                    "group": group,
                },
            )
            raise

    async def _complete(
        self, code: str, telegram_user_id: str, name: str, group: bool, now: datetime
    ) -> Recipient:
        if self._throttled(telegram_user_id, now):
            raise PairingError("too_many_attempts")
        entry = self._codes.get(code)
        if entry is None or entry.expires_at <= now:
            self._codes.pop(code, None)
            self._failed(telegram_user_id, now)
            raise PairingError("invalid_code")
        if entry.group and not group:
            self._misused(code, entry)
            raise PairingError("group_code_in_private_chat")
        if group and not entry.group:
            del self._codes[code]
            raise PairingError("personal_code_in_group")
        kind = KIND_GROUP if group else KIND_USER
        old = self._recipients.get(telegram_user_id)
        if (
            old is not None
            and (old.user_id, old.kind) != (entry.user_id, kind)
            and not entry.by_admin
        ):
            self._misused(code, entry)
            self._failed(telegram_user_id, now)
            raise PairingError("already_linked")
        del self._codes[code]
        recipient = Recipient(telegram_user_id, name, entry.user_id, now, kind)
        self._recipients[telegram_user_id] = recipient
        self._failures.pop(telegram_user_id, None)
        await self._changed(
            {
                "type": "linked",
                "telegram_user": telegram_user_id,
                "kind": recipient.kind,
                "user_id": recipient.user_id,
                "code_created_by": entry.created_by,
                "replaced_user_id": old.user_id if old is not None else None,
            }
        )
        return recipient

    def get(self, telegram_user_id: str) -> Recipient | None:
        return self._recipients.get(telegram_user_id)

    def list(self, user_id: str | None = None) -> list[Recipient]:
        """Everyone (for an admin) or only the recipients linked to `user_id`."""
        return [
            r
            for r in self._recipients.values()
            if user_id is None or r.user_id == user_id
        ]

    async def async_unlink(self, telegram_user_id: str, *, by: str | None) -> None:
        """Forget a link; `by` is the Home Assistant user who asked."""
        recipient = self._recipients.pop(telegram_user_id, None)
        if recipient is not None:
            await self._changed(
                {
                    "type": "unlinked",
                    "telegram_user": telegram_user_id,
                    "kind": recipient.kind,
                    "user_id": recipient.user_id,
                    "by": by,
                }
            )

    async def _changed(self, event: dict[str, Any]) -> None:
        """Save, audit in every loaded entry, and tell the subscriptions."""
        digest = self._digest()
        for coordinator in loaded_coordinators(self._hass):
            self._accounted[coordinator.config_entry.entry_id] = digest
        await self._async_save()
        await async_audit_everywhere(self._hass, event)
        for listener in tuple(self._listeners):
            listener()

    def _digest(self) -> str:
        links = sorted(
            (r.telegram_user_id, r.kind, r.user_id) for r in self._recipients.values()
        )
        return hashlib.sha256(json.dumps(links).encode()).hexdigest()

    async def async_account_for(self, coordinator: FeedCoordinator) -> None:
        """Record the links in force in an entry whose log has not seen them yet.

        Links made or removed while the entry was not loaded went to the other
        entries' logs only; this one gets the resulting list, once.
        """
        entry_id = coordinator.config_entry.entry_id
        digest = self._digest()
        if self._accounted.get(entry_id) == digest:
            return
        if self._recipients or entry_id in self._accounted:
            await coordinator.async_audit(
                {
                    "type": "links",
                    "recipients": [
                        {
                            "telegram_user": r.telegram_user_id,
                            "kind": r.kind,
                            "user_id": r.user_id,
                        }
                        for r in self._recipients.values()
                    ],
                }
            )
        self._accounted[entry_id] = digest
        await self._async_save()
