"""Refresh `telegram-bot-api.json` from a full `api.json` of telegram-bot-api-spec.

    python tests/specs/extract_botapi.py path/to/api.json

keeps the methods listed below and every type their parameters reach, verbatim,
so the stand-in judges the bot by the newer description. Add a method here when
the bot starts calling it.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from typing import Any

METHODS = (
    "getUpdates",
    "deleteWebhook",
    "getMe",
    "sendMessage",
    "sendVideo",
    "sendLocation",
    "sendVenue",
    "answerCallbackQuery",
    "setMyCommands",
    "editMessageText",
    "editMessageReplyMarkup",
)
# Types the bot never sends; they stay out so a call that needs them stands out.
LEFT_OUT = frozenset(
    {
        "MessageEntity",
        "ReplyKeyboardMarkup",
        "ReplyKeyboardRemove",
        "ForceReply",
        "CallbackGame",
        "InputFile",
    }
)
OUT = Path(__file__).with_name("telegram-bot-api.json")


def extract(full: dict[str, Any]) -> dict[str, Any]:
    """The listed methods and the types they reach, in the file's own shape."""
    types: dict[str, Any] = {}
    pending = [
        t
        for m in METHODS
        for f in full["methods"][m].get("fields", [])
        for t in f["types"]
    ]
    while pending:
        name = re.sub(r"^(Array of )+", "", pending.pop())
        if name in types or name in LEFT_OUT or name not in full["types"]:
            continue
        spec = full["types"][name]
        types[name] = spec
        pending += spec.get("subtypes", [])
        pending += [t for f in spec.get("fields", []) for t in f["types"]]
    return {
        "version": full["version"],
        "release_date": full["release_date"],
        "changelog": full["changelog"],
        "methods": {m: full["methods"][m] for m in METHODS},
        "types": dict(sorted(types.items())),
    }


if __name__ == "__main__":
    data = extract(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(
        f"{OUT}: {data['version']}, {len(data['methods'])} methods, "
        f"{len(data['types'])} types"
    )
