"""Words the server fills in itself (notifications, prompts), in the home's language.

Forms, repairs and entities are translated by Home Assistant's frontend; a
notification's title and message, a label placed inside a form's description or
an entity name's placeholder are not. Those live in the translation files beside
everything else: message templates under `exceptions` (`<key>.message`), labels
of a fixed set of values under `selector` (`<set>.options.<value>`), where the
panel reads the same labels through Home Assistant's `frontend/get_translations`.

`Texts` reads both into one flat mapping (`"<key>"` for a template and
`"<set>.<value>"` for a label) and formats what people read from machine values:
a label for each value (a readable form for values nobody translated), times in
the home's time zone without seconds, and lengths of time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.helpers import translation
from homeassistant.util import dt as dt_util

from .const import DOMAIN

if TYPE_CHECKING:
    from .protocol.errors import Problem

# Label sets (`selector.<set>`), shared with the panel and the options flow.
INCIDENT_TYPES = "incident_types"
LEGAL_BASES = "legal_bases"
PUBLISHER_KINDS = "publisher_kinds"
VERIFICATION = "verification"
AUDIO = "audio"
FEED_PROBLEMS = "feed_problems"
GAP_REASONS = "gap_reasons"
MONTHS = "months"
DAY_PERIODS = "day_periods"
# Why the home refused a request or a clip did not arrive (`Problem.code`,
# `UploadOutcome.code`), the kinds of technical problem, kinds of address.
REASONS = "reasons"
PROBLEM_KINDS = "problem_kinds"
ADDRESS_KINDS = "address_kinds"
# A reason's values by name: lengths in seconds, a moment, labels, numbers;
# any other value (an address, an inbox's own words) is shown as it is.
DURATION_PARAMS = frozenset({"length", "max_length", "retention"})
MOMENT_PARAMS = frozenset({"at"})
NUMBER_PARAMS = frozenset({"radius", "limit", "area", "count"})
LABEL_PARAMS = {"incident": INCIDENT_TYPES, "basis": LEGAL_BASES, "kind": ADDRESS_KINDS}
COMMA_DECIMAL_LANGUAGES = frozenset({"de", "es"})
# The languages of `translations/`; Home Assistant falls back to English for others.
LANGUAGES = ("en", "de", "es")

MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# CLDR's default clock per language (the order of date parts is a translation,
# `datetime_format`; whether a language counts hours to 12 or 24 is locale data).
# Home Assistant's `en` is American English; `en-GB` and the rest count to 24.
TWELVE_HOUR_LANGUAGES = frozenset({"en"})
CLOCK_24 = {"de": "{hour:02d}:{minute:02d}"}
CLOCK_DEFAULT = "{hour}:{minute:02d}"


def plural_category(language: str, number: int) -> str:
    """CLDR's plural category of a whole number: `one` or `other` here.

    English, German and Spanish use `one` for exactly 1 (Spanish's `many`, for
    round millions, reads as `other`); a language added later with more forms
    extends this, and its translations add `_few` or `_many` templates.
    """
    return "one" if abs(number) == 1 else "other"


def readable(value: str) -> str:
    """`package_theft` as people write it: for values nobody has translated."""
    words = value.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else value


class Texts(Mapping[str, str]):
    """Templates and labels in one language, formatting for one time zone."""

    def __init__(self, strings: Mapping[str, str], language: str, zone: tzinfo):
        self._strings = dict(strings)
        self.language = language
        self.zone = zone

    def __getitem__(self, key: str) -> str:
        return self._strings[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._strings)

    def __len__(self) -> int:
        return len(self._strings)

    def label(self, label_set: str, value: str) -> str:
        """The translated label of `value`, else its readable form."""
        return self._strings.get(f"{label_set}.{value}") or readable(value)

    def incident(self, incident_type: str) -> str:
        return self.label(INCIDENT_TYPES, incident_type)

    def legal_basis(self, basis: str, reference: str | None = None) -> str:
        label = self.label(LEGAL_BASES, basis)
        return f"{label} ({reference})" if reference else label

    def publisher_kind(self, kind: str) -> str:
        return self.label(PUBLISHER_KINDS, kind)

    def verification(self, verified: bool) -> str:
        return self.label(VERIFICATION, "verified" if verified else "unverified")

    def audio(self, included: bool) -> str:
        return self.label(AUDIO, "included" if included else "not_included")

    def feed_problem(self, reason: str) -> str:
        """Why a feed failed, short enough to sit inside a sentence."""
        return self._strings.get(f"{FEED_PROBLEMS}.{reason}") or self.label(
            FEED_PROBLEMS, "cannot_connect"
        )

    def reason(self, code: str, params: Mapping[str, str], text: str) -> str:
        """A reason the home wrote, in this language.

        Without a translated `code` the English `text` is shown as it is, behind
        a translated lead-in, rather than a guess.
        """
        template = self._strings.get(f"{REASONS}.{code}") if code else None
        if template is not None:
            try:
                values = {name: self._value(name, v) for name, v in params.items()}
                return template.format(**values)
            except KeyError, IndexError, ValueError:
                pass  # a record from another version with other values
        return self[f"{REASONS}.other"].format(detail=text)

    def problem(self, problem: Problem) -> str:
        """Why a request was refused; a technical problem behind its kind."""
        if problem.code and f"{REASONS}.{problem.code}" in self._strings:
            return self.reason(problem.code, problem.params, str(problem))
        return self[f"{PROBLEM_KINDS}.{problem_kind(problem)}"].format(
            detail=str(problem)
        )

    def number(self, value: str) -> str:
        """`0.125` as this language writes it (`0,125`)."""
        if self.language.split("-")[0] in COMMA_DECIMAL_LANGUAGES:
            return value.replace(".", ",")
        return value

    def _value(self, name: str, value: str) -> str:
        if name in DURATION_PARAMS:
            return self.duration(timedelta(seconds=float(value)))
        if name in MOMENT_PARAMS:
            return self.moment(datetime.fromisoformat(value))
        if name in NUMBER_PARAMS:
            return self.number(value)
        if name in LABEL_PARAMS:
            return self.label(LABEL_PARAMS[name], value)
        return value

    def clock(self, moment: datetime, *, seconds: bool = False) -> str:
        """The time of day in the home's zone, without seconds unless asked
        (a hole in the footage can be seconds long)."""
        local = moment.astimezone(self.zone)
        tail = f":{local.second:02d}" if seconds else ""
        if self.language in TWELVE_HOUR_LANGUAGES:
            hour = local.hour % 12 or 12
            period = self.label(DAY_PERIODS, "am" if local.hour < 12 else "pm")
            return f"{hour}:{local.minute:02d}{tail} {period}"
        base = self.language.split("-")[0]
        pattern = CLOCK_24.get(self.language) or CLOCK_24.get(base, CLOCK_DEFAULT)
        return pattern.format(hour=local.hour, minute=local.minute) + tail

    def gap(self, camera: str, start: datetime, end: datetime, reason: str) -> str:
        """`Porch 10:42:10-10:42:44: camera offline` (the times in the home's zone)."""
        span = f"{self.clock(start, seconds=True)}-{self.clock(end, seconds=True)}"
        return f"{camera} {span}: {self.label(GAP_REASONS, reason)}"

    def moment(self, moment: datetime) -> str:
        """Date and time in the home's zone, as Home Assistant writes them."""
        local = moment.astimezone(self.zone)
        return self["datetime_format"].format(
            day=local.day,
            month=self.label(MONTHS, MONTH_KEYS[local.month - 1]),
            year=local.year,
            time=self.clock(local),
        )

    def window(self, start: datetime, end: datetime) -> tuple[str, str]:
        """Both ends of a window; the end's date is left out when it is the same."""
        day = start.astimezone(self.zone).date()
        if end.astimezone(self.zone).date() == day:
            return self.moment(start), self.clock(end)
        return self.moment(start), self.moment(end)

    def count(self, key: str, number: int) -> str:
        """`1 entry`, `2 entries`: the `<key>_one` or `<key>_other` template."""
        form = "one" if plural_category(self.language, number) == "one" else "other"
        return self[f"{key}_{form}"].format(count=number)

    def duration(self, length: timedelta) -> str:
        """`1 h 30 min`, `2 d 3 h`, `45 s`: the largest two units that matter."""
        seconds = max(0, round(length.total_seconds()))
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        parts = [
            self[f"duration_{unit}"].format(count=count)
            for unit, count in (
                ("days", days),
                ("hours", hours),
                ("minutes", minutes),
                ("seconds", seconds),
            )
            if count
        ]
        return " ".join(parts[:2]) or self["duration_seconds"].format(count=0)


def problem_kind(problem: Problem) -> str:
    """Which kind of technical problem: a signature, an unknown key, or the entry."""
    if problem.reason.startswith("unknown kid") or "is not trusted" in problem.reason:
        return "unknown_key"
    if "signature" in (part.split("[")[0] for part in problem.path.split(".")):
        return "bad_signature"
    return "malformed"


async def async_shipped_texts(hass: HomeAssistant) -> dict[str, Texts]:
    """Texts in every language we ship: a chat reads the one it speaks."""
    return {language: await async_texts(hass, language) for language in LANGUAGES}


async def async_texts(hass: HomeAssistant, language: str | None = None) -> Texts:
    """Templates and labels in `language` (default: the home's own)."""
    language = language or hass.config.language
    strings: dict[str, str] = {}
    exceptions = await translation.async_get_translations(
        hass, language, "exceptions", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.exceptions."
    for key, value in exceptions.items():
        strings[key.removeprefix(prefix).removesuffix(".message")] = value
    selectors = await translation.async_get_translations(
        hass, language, "selector", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.selector."
    for key, value in selectors.items():
        name, _, option = key.removeprefix(prefix).partition(".options.")
        if option:
            strings[f"{name}.{option}"] = value
    return Texts(strings, language, dt_util.get_default_time_zone())
