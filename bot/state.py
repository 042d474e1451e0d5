"""What the bot remembers between restarts, in one JSON file written atomically.

Home Assistant is the authority on requests and decisions; the bot only keeps what
Telegram cannot tell it back: which message in which chat shows which request (so
an old message can still be edited), the button tokens (so a tap after a restart
still means the same thing) and each user's language. The decision history is
Home Assistant's (`/history` asks it), so it is never a second, diverging copy.
A write goes to a temporary file that replaces the old one, so a crash leaves
either the old or the new state, never half of one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
import json
import logging
import os
from pathlib import Path
import secrets
import tempfile
from typing import Any

_LOGGER = logging.getLogger(__name__)

STATE_VERSION = 1
# 12 random bytes: 16 URL-safe characters, far below Telegram's 64-byte limit and
# far beyond guessing.
TOKEN_BYTES = 12

OPEN = "open"
BUTTONS_KEPT = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Prompt:
    """The message showing one request in one private chat (and its confirmation)."""

    chat_id: int
    message_id: int
    confirm_id: int | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """What a callback token means: where it was shown, and what it does.

    `user_id` is the chat the button was shown in: a private chat, whose user
    alone may press it, or a linked group, where any linked resident may.
    """

    user_id: int
    action: str
    key: str
    audio: bool = False


@dataclass(slots=True)
class Tracked:
    """One request the bot has shown, as last seen, with its outcome once known."""

    key: str
    payload: dict[str, Any]
    status: str = OPEN
    decided_by: str | None = None
    decided_at: str | None = None
    error: str | None = None
    queued: list[str] = field(default_factory=list)
    prompts: dict[int, Prompt] = field(default_factory=dict)

    @property
    def revision(self) -> int:
        return int(self.payload.get("revision", 0))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["prompts"] = [asdict(p) for p in self.prompts.values()]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tracked:
        prompts = [Prompt(**p) for p in data.get("prompts", [])]
        return cls(
            key=data["key"],
            payload=data["payload"],
            status=data.get("status", OPEN),
            decided_by=data.get("decided_by"),
            decided_at=data.get("decided_at"),
            error=data.get("error"),
            queued=list(data.get("queued", [])),
            prompts={p.chat_id: p for p in prompts},
        )


def request_key(payload: dict[str, Any]) -> str:
    """Requests are unique per config entry (one feed each) and request id."""
    return f"{payload['config_entry_id']}/{payload['request_id']}"


class BotState:
    """The bot's memory; call `save()` after a change that must survive a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.requests: dict[str, Tracked] = {}
        self.buttons: dict[str, Button] = {}
        self.languages: dict[int, str] = {}
        self.linked: dict[int, str] = {}
        # Group chats Home Assistant linked explicitly: chat id -> title.
        self.groups: dict[int, str] = {}

    @classmethod
    def load(cls, path: Path) -> BotState:
        """Read the state file; a missing file is a first start."""
        state = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        state.requests = {
            item["key"]: Tracked.from_json(item) for item in data.get("requests", [])
        }
        state.buttons = {
            token: Button(**button) for token, button in data.get("buttons", {}).items()
        }
        state.languages = {int(k): v for k, v in data.get("languages", {}).items()}
        state.linked = {int(k): v for k, v in data.get("linked", {}).items()}
        state.groups = {int(k): v for k, v in data.get("groups", {}).items()}
        return state

    def save(self) -> None:
        """Replace the state file atomically (temporary file, fsync, rename)."""
        data = {
            "version": STATE_VERSION,
            "requests": [t.to_json() for t in self.requests.values()],
            "buttons": {token: asdict(b) for token, b in self.buttons.items()},
            "languages": {str(k): v for k, v in self.languages.items()},
            "linked": {str(k): v for k, v in self.linked.items()},
            "groups": {str(k): v for k, v in self.groups.items()},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def chats(self) -> list[int]:
        """Every chat that gets requests: linked users' private chats, then groups."""
        return [*self.linked, *self.groups]

    def add_button(self, button: Button) -> str:
        """A fresh opaque token for `button`."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.buttons[token] = button
        return token

    def drop_buttons(
        self,
        key: str,
        user_id: int | None = None,
        actions: frozenset[str] | None = None,
    ) -> None:
        """Void the tokens of a request: everyone's, or one user's (some actions)."""

        def dropped(b: Button) -> bool:
            return (
                b.key == key
                and (user_id is None or b.user_id == user_id)
                and (actions is None or b.action in actions)
            )

        self.buttons = {t: b for t, b in self.buttons.items() if not dropped(b)}

    def prune(self, now: datetime) -> None:
        """Forget the buttons of requests that ended over `BUTTONS_KEPT` ago.

        Until then a late tap on an ended request gets a useful answer; after
        that it is just "no longer valid", and the state file stops growing.
        """

        def ended_long_ago(tracked: Tracked) -> bool:
            if tracked.status == OPEN or tracked.decided_at is None:
                return False
            try:
                ended = datetime.fromisoformat(tracked.decided_at)
            except ValueError:
                return True
            return now - ended > BUTTONS_KEPT

        old = {k for k, t in self.requests.items() if ended_long_ago(t)}
        self.buttons = {t: b for t, b in self.buttons.items() if b.key not in old}

    def language(self, user_id: int, default: str) -> str:
        return self.languages.get(user_id, default)
