"""The pinned Bot API description, and what the stand-in takes from it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.bot.botapi_methods import METHODS
from tests.bot.botapi_spec import SPEC, SPEC_PATH, Limit, limit_of


def test_limits_come_from_telegrams_own_words() -> None:
    assert SPEC.limit("sendMessage", "text") == Limit(1, 4096, "characters", True)
    assert SPEC.limit("editMessageText", "text") == Limit(1, 4096, "characters", True)
    assert SPEC.limit("sendVideo", "caption") == Limit(0, 1024, "characters", True)
    assert SPEC.limit("answerCallbackQuery", "text") == Limit(
        0, 200, "characters", False
    )
    assert SPEC.type_limit("InlineKeyboardButton", "callback_data") == Limit(
        1, 64, "bytes", False
    )
    assert limit_of("Pass True to drop all pending updates") is None


def test_the_stand_in_serves_only_described_methods() -> None:
    described = {name.lower() for name in SPEC.methods}
    assert set(METHODS) <= described
    assert SPEC.version == "Bot API 7.2"


def test_the_extract_is_closed_under_its_own_refresh_script() -> None:
    """Running the refresh script on the pinned file changes nothing: every type a
    kept method reaches is there, and nothing else."""
    path = Path(SPEC_PATH).with_name("extract_botapi.py")
    spec = importlib.util.spec_from_file_location("extract_botapi", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import json

    pinned = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    again = module.extract(pinned)
    assert sorted(again["methods"]) == sorted(pinned["methods"])
    assert sorted(again["types"]) == sorted(pinned["types"])
