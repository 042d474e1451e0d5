"""Telegram's own description of the Bot API, as the stand-in's judge.

`tests/specs/telegram-bot-api.json` is an extract of the machine-readable Bot API
description (see `tests/specs/README.md`). Every call the bot makes is held to it:
the method must exist, every parameter must be one the method defines, of a type
it allows, nested objects must have only the fields their type defines, and every
length Telegram states in a description ("1-4096 characters", "1-64 bytes") is a
limit. The stand-in turns a breach into the answer Telegram would give and records
it, so a test fails even when the bot shrugs an error off.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
import re
from typing import Any

SPEC_PATH = Path(__file__).parents[1] / "specs" / "telegram-bot-api.json"

_PRIMITIVES = frozenset({"String", "Integer", "Float", "Boolean", "InputFile"})
_RANGE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_INTEGER = re.compile(r"^-?\d+$")
_DISCRIMINATOR = re.compile(r'(?:must be|always) "?([a-z_]+)"?')


@dataclass(frozen=True)
class Limit:
    """A length Telegram states for a value: bounds, unit, and whether parsed."""

    low: int
    high: int
    unit: str  # "characters" or "bytes"
    after_parsing: bool  # counted on the text the parse mode leaves


class SpecViolation(Exception):
    """A call the real Bot API would refuse, or that it does not define.

    `method_answers` marks a value over a stated length or a required parameter
    left out: the stand-in's method refuses those in Telegram's own words ("message
    text is too long", "there is no video in the request"), so the check only
    records them.
    """

    def __init__(self, message: str, *, method_answers: bool = False) -> None:
        super().__init__(message)
        self.method_answers = method_answers


def limit_of(description: str) -> Limit | None:
    """The length range stated in a field's description, if any."""
    match = _RANGE.search(description)
    if match is None:
        return None
    return Limit(
        int(match.group(1)),
        int(match.group(2)),
        match.group(3),
        "after entities parsing" in description,
    )


class BotApiSpec:
    """Methods and types from the pinned description, looked up case-insensitively."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods = {name.lower(): m for name, m in data["methods"].items()}
        self.types: dict[str, Any] = data["types"]

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> BotApiSpec:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def method(self, name: str) -> dict[str, Any] | None:
        return self.methods.get(name.lower())

    def field(self, method: str, name: str) -> dict[str, Any]:
        spec = self.method(method)
        assert spec is not None, method
        return next(f for f in spec.get("fields", []) if f["name"] == name)

    def limit(self, method: str, name: str) -> Limit:
        """A limit the tests and the stand-in take from the description text."""
        found = limit_of(self.field(method, name)["description"])
        assert found is not None, (method, name)
        return found

    def type_limit(self, type_name: str, name: str) -> Limit:
        field = next(f for f in self.types[type_name]["fields"] if f["name"] == name)
        found = limit_of(field["description"])
        assert found is not None, (type_name, name)
        return found

    def is_json(self, method: str, name: str) -> bool:
        """Whether a form value is a JSON-serialised object or array."""
        spec = self.method(method)
        field = next(
            (f for f in (spec or {}).get("fields", []) if f["name"] == name), None
        )
        if field is None:
            return False
        return any(t not in _PRIMITIVES for t in field["types"])

    # -- checking a call -----------------------------------------------------------

    def check_call(
        self, method: str, params: dict[str, Any], uploads: dict[str, Any]
    ) -> None:
        """Raise SpecViolation naming the first thing Telegram would not accept."""
        spec = self.method(method)
        if spec is None:
            raise SpecViolation(f"{method}: no such method in {self.version}")
        fields = {f["name"]: f for f in spec.get("fields", [])}
        params = {name: value for name, value in params.items() if value is not None}
        for name in params:
            if name not in fields:
                raise SpecViolation(f"{method}: unknown parameter {name!r}")
        attached = {
            value.removeprefix("attach://")
            for value in params.values()
            if isinstance(value, str) and value.startswith("attach://")
        }
        for name in uploads:
            if name not in fields and name not in attached:
                raise SpecViolation(f"{method}: unknown upload {name!r}")
        for name, field in fields.items():
            present = name in params or name in uploads
            if field["required"] and not present:
                raise SpecViolation(
                    f"{method}: required parameter {name!r} missing",
                    method_answers=True,
                )
            if name in params:
                where = f"{method}.{name}"
                self._check_value(where, params[name], field, uploads)

    def _check_value(
        self, where: str, value: Any, field: dict[str, Any], uploads: dict[str, Any]
    ) -> None:
        problems = []
        for type_name in field["types"]:
            try:
                self._check_type(where, value, type_name, uploads)
            except SpecViolation as err:
                if err.method_answers:
                    raise
                problems.append(str(err))
            else:
                break
        else:
            # Say why the value failed the types this extract knows, when it has any.
            known = [p for p in problems if "not in the pinned extract" not in p]
            raise SpecViolation("; ".join(known or problems))
        limit = limit_of(field.get("description", ""))
        if limit is not None and not limit.after_parsing and isinstance(value, str):
            size = len(value.encode()) if limit.unit == "bytes" else len(value)
            if not limit.low <= size <= limit.high:
                raise SpecViolation(
                    f"{where}: {size} {limit.unit}, Telegram allows "
                    f"{limit.low}-{limit.high}",
                    method_answers=True,
                )

    def _check_type(
        self, where: str, value: Any, type_name: str, uploads: dict[str, Any]
    ) -> None:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise SpecViolation(f"{where}: expected {type_name}")
            inner = type_name.removeprefix("Array of ")
            for index, item in enumerate(value):
                self._check_type(f"{where}[{index}]", item, inner, uploads)
            return
        if type_name == "String":
            if not isinstance(value, str):
                raise SpecViolation(f"{where}: expected String")
            return
        if type_name == "Integer":
            if isinstance(value, bool) or not (
                isinstance(value, int)
                or (isinstance(value, str) and _INTEGER.match(value))
            ):
                raise SpecViolation(f"{where}: expected Integer, got {value!r}")
            return
        if type_name == "Float":
            try:
                float(value)
            except TypeError, ValueError:
                raise SpecViolation(f"{where}: expected Float, got {value!r}") from None
            if isinstance(value, bool):
                raise SpecViolation(f"{where}: expected Float, got {value!r}")
            return
        if type_name == "Boolean":
            if not (isinstance(value, bool) or value in ("true", "false")):
                raise SpecViolation(f"{where}: expected Boolean, got {value!r}")
            return
        if type_name == "InputFile":
            name = value.removeprefix("attach://") if isinstance(value, str) else None
            if name is None or name not in uploads:
                raise SpecViolation(f"{where}: expected an uploaded file")
            return
        self._check_object(where, value, type_name, uploads)

    def _check_object(
        self, where: str, value: Any, type_name: str, uploads: dict[str, Any]
    ) -> None:
        spec = self.types.get(type_name)
        if spec is None:
            raise SpecViolation(
                f"{where}: type {type_name} is not in the pinned extract "
                "(tests/specs/README.md says how to add it)"
            )
        if not isinstance(value, dict):
            raise SpecViolation(f"{where}: expected a {type_name} object")
        if "subtypes" in spec:
            self._check_object(where, value, self._subtype(where, value, spec), uploads)
            return
        fields = {f["name"]: f for f in spec.get("fields", [])}
        for name in value:
            if name not in fields:
                raise SpecViolation(f"{where}: {type_name} has no field {name!r}")
        for name, field in fields.items():
            if field["required"] and name not in value:
                raise SpecViolation(f"{where}: {type_name} needs {name!r}")
            if name in value:
                self._check_value(f"{where}.{name}", value[name], field, uploads)

    def _subtype(self, where: str, value: dict[str, Any], spec: dict[str, Any]) -> str:
        """The subtype whose `type` field the value names ("must be default")."""
        for name in spec["subtypes"]:
            subtype = self.types.get(name, {})
            for field in subtype.get("fields", []):
                match = _DISCRIMINATOR.search(field["description"])
                if field["name"] == "type" and match and value.get("type") == match[1]:
                    return str(name)
        raise SpecViolation(
            f"{where}: no {spec['name']} has type {value.get('type')!r}"
        )


SPEC = BotApiSpec.load()
