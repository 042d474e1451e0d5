"""Telegram recipients linked to Home Assistant users through one-time codes.

The bot never learns a Home Assistant password: a resident creates a 6-digit code
in Home Assistant (bound to their own user, valid 10 minutes, usable once) and
sends it to the bot, which completes the pairing. A decision made in Telegram is
then recorded as that resident's decision, with the Telegram user beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import secrets
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import DOMAIN

KIND_USER = "user"
KIND_GROUP = "group"
CODE_LIFETIME = timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
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


@dataclass(frozen=True, slots=True)
class _Code:
    user_id: str
    expires_at: datetime
    group: bool = False


class PairingError(Exception):
    """Why a pairing code was refused; `reason` is a translation key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Recipients:
    """Linked recipients (persisted) and open pairing codes (memory only).

    Codes are deliberately not persisted: a restart simply voids them. After
    `MAX_FAILED_ATTEMPTS` wrong codes every open code is voided, so six digits
    cannot be guessed by trying.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.recipients", private=True
        )
        self._recipients: dict[str, Recipient] = {}
        self._codes: dict[str, _Code] = {}
        self._failures = 0

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

    async def _async_save(self) -> None:
        """Links are rare and precious: written at once, not on a delay."""
        await self._store.async_save(
            {"recipients": [r.as_dict() for r in self._recipients.values()]}
        )

    def create_code(self, user_id: str, *, group: bool = False) -> tuple[str, datetime]:
        """A fresh single-use code for `user_id`; an older open one is replaced.

        A group code links a group chat, a normal code a person: the two are
        kept apart so a code meant for one cannot link the other.
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
        self._codes[code] = _Code(user_id, expires_at, group)
        return code, expires_at

    async def async_complete(
        self, code: str, telegram_user_id: str, name: str, *, group: bool = False
    ) -> Recipient:
        """Consume `code` and link the Telegram user (or group) to its HA user.

        A group code sent in a private chat stays valid (only its sender saw
        it). A personal code sent in a group was read by everyone there, so it
        is voided: anyone in the group could otherwise link themselves with it.
        """
        entry = self._codes.get(code)
        if entry is None or entry.expires_at <= dt_util.utcnow():
            self._codes.pop(code, None)
            self._failures += 1
            if self._failures >= MAX_FAILED_ATTEMPTS:
                self._codes.clear()
                self._failures = 0
            raise PairingError("invalid_code")
        if entry.group and not group:
            raise PairingError("group_code_in_private_chat")
        del self._codes[code]
        if group and not entry.group:
            raise PairingError("personal_code_in_group")
        recipient = Recipient(
            telegram_user_id,
            name,
            entry.user_id,
            dt_util.utcnow(),
            KIND_GROUP if group else KIND_USER,
        )
        self._recipients[telegram_user_id] = recipient
        await self._async_save()
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

    async def async_unlink(self, telegram_user_id: str) -> None:
        if self._recipients.pop(telegram_user_id, None) is not None:
            await self._async_save()
