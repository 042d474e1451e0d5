"""Walking the integration's options flow over REST, as the frontend's dialog does.

The demo needs a few options set (loopback uploads allowed, the built-in recorder
for its camera) and must not care which step or menu of the options flow holds
them: the flow grows as features land. So it walks every step the flow shows,
answers each field the way the frontend pre-fills it (the field's default, else
its suggested value, which in an options flow is the current value), overrides
only the fields it wants, and in a menu visits every option before the one that
finishes. It returns which wanted fields no step offered, so the caller can say
exactly what is missing instead of failing later with a rejected request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from demo.homeassistant import FlowError, HomeAssistantClient

FLOW = "/api/config/config_entries/options/flow"
MAX_STEPS = 30
FINISH_WORDS = ("finish", "done", "save", "submit", "end")


@dataclass(frozen=True, slots=True)
class OptionsResult:
    """The steps walked, the wanted fields set, and those no step offered."""

    steps: tuple[str, ...]
    applied: Mapping[str, Any]
    missing: frozenset[str]


def answer_form(
    step: str, schema: Sequence[Mapping[str, Any]], wanted: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The frontend's pre-filled answer to one form, with `wanted` fields changed.

    Returns the answer and the wanted fields it set. A collapsible section
    (`expandable`) is answered as the nested object Home Assistant expects. A
    required field with neither a default, a current value nor a wanted value
    stops the walk: guessing would change the home's settings behind its back.
    """
    answer: dict[str, Any] = {}
    applied: dict[str, Any] = {}
    for field in schema:
        name = str(field["name"])
        suggested = (field.get("description") or {}).get("suggested_value")
        if field.get("type") == "expandable":
            answer[name], inner = answer_form(step, field.get("schema", []), wanted)
            applied |= inner
        elif name in wanted:
            answer[name] = applied[name] = wanted[name]
        elif "default" in field:
            answer[name] = field["default"]
        elif suggested is not None:
            answer[name] = suggested
        elif field.get("required"):
            raise FlowError(
                f"options step {step!r}: required field {name!r} has no default "
                "and the demo has no value for it"
            )
    return answer, applied


def choose_menu_option(options: Sequence[str], visited: set[str]) -> str:
    """Every option once, in the order shown; the finishing one last."""

    def finishes(option: str) -> bool:
        return any(word in option.lower() for word in FINISH_WORDS)

    for option in options:
        if option not in visited and not finishes(option):
            return option
    for option in options:
        if finishes(option):
            return option
    raise FlowError(f"options menu {list(options)} offers no way to finish")


async def configure_options(
    client: HomeAssistantClient,
    entry_id: str,
    wanted: Mapping[str, Any],
    log: Callable[[str], None],
) -> OptionsResult:
    """Run the entry's options flow to the end, setting `wanted` where offered."""
    result = await client.post(FLOW, {"handler": entry_id})
    flow_path = f"{FLOW}/{result['flow_id']}"
    steps: list[str] = []
    applied: dict[str, Any] = {}
    visited: set[str] = set()
    try:
        for _ in range(MAX_STEPS):
            kind = result.get("type")
            if kind == "create_entry":
                return OptionsResult(
                    tuple(steps), applied, frozenset(set(wanted) - set(applied))
                )
            step = str(result.get("step_id"))
            steps.append(step)
            if kind == "menu":
                menu = result["menu_options"]
                choice = choose_menu_option(
                    list(menu) if isinstance(menu, dict) else menu, visited
                )
                visited.add(choice)
                log(f"options flow: menu {step!r} -> {choice!r}")
                result = await client.post(flow_path, {"next_step_id": choice})
                continue
            if kind != "form":
                raise FlowError(f"options flow ended with {kind}: {result}")
            if result.get("errors"):
                raise FlowError(f"options step {step!r} refused: {result['errors']}")
            answer, changed = answer_form(step, result.get("data_schema", []), wanted)
            applied |= changed
            log(
                f"options flow: step {step!r}" + (f" sets {changed}" if changed else "")
            )
            result = await client.post(flow_path, answer)
        raise FlowError(f"options flow did not finish in {MAX_STEPS} steps: {steps}")
    except FlowError:
        await client.delete(flow_path)
        raise
