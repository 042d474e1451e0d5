"""Whether each camera recorded anything in a request's window, without blocking.

A chat asks "which cameras have footage?" for every request it shows, from
callbacks that must not touch the disk. So the answer comes from a cache filled in
the executor: before the coordinator announces new requests, before a client's
snapshot, and again (in the background) when a cached answer is older than
`FRESH_FOR`, since footage of a window still being recorded can appear and
pruning can remove it. When a background check changes an answer, the
coordinator's listeners run, so subscribed chats see the new view.

Only our own recorder's segment folder can be checked; a Frigate camera is
reported as `unknown` (not checked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
import time

from homeassistant.core import HomeAssistant, callback

from ..const import BACKEND_RECORDER
from ..export.result import Gap
from ..export.segments import Segment, list_segments, missing_ranges, select_footage
from ..protocol.model import Request
from ..settings import FootageSettings

FOOTAGE_YES = "yes"
FOOTAGE_NO = "no"
FOOTAGE_UNKNOWN = "unknown"
# Long enough that a burst of views costs one look at the disk, short enough that
# footage recorded since shows up within a minute.
FRESH_FOR = 60.0

type Key = tuple[str, datetime, datetime]


class FootagePresence:
    """Cached `yes`/`no` per (camera, window) for recorded cameras, else `unknown`."""

    def __init__(
        self,
        hass: HomeAssistant,
        settings: FootageSettings,
        directory: Callable[[str], Path],
        on_change: Callable[[], None],
        explain: Callable[[str, datetime, datetime], Gap] | None = None,
    ) -> None:
        self._hass = hass
        self._settings = settings
        self._directory = directory
        self._on_change = on_change
        self._explain = explain or (lambda _camera, start, end: Gap(start, end))
        self._cache: dict[Key, tuple[str, float]] = {}
        self._gaps: dict[Key, list[Gap]] = {}
        self._stale: set[Key] = set()
        self._checking = False

    def _recorded(self, camera: str) -> bool:
        backend = self._settings.backend_for(camera)
        return backend is not None and backend.backend == BACKEND_RECORDER

    @callback
    def status(self, camera: str, start: datetime, end: datetime) -> str:
        """The cached answer (event-loop safe); schedules a check when it is old."""
        if not self._recorded(camera):
            return FOOTAGE_UNKNOWN
        key = (camera, start, end)
        cached = self._cache.get(key)
        if cached is None or time.monotonic() - cached[1] > FRESH_FOR:
            self._stale.add(key)
            if not self._checking:
                self._checking = True
                self._hass.async_create_background_task(
                    self._async_check_stale(), "neighborhood_requests footage check"
                )
        return cached[0] if cached is not None else FOOTAGE_UNKNOWN

    @callback
    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        """The cached holes in a recorded camera's footage of the window, each
        with its reason where the recorder knows it (the camera went offline).

        Shown before Send ("no footage 10:42:10-10:42:44: camera offline"), so a
        resident knows what the clip lacks; empty when unknown or when there is
        no footage at all (`status` says `no` then).
        """
        return [
            self._explain(camera, gap.start, gap.end)
            for gap in self._gaps.get((camera, start, end), ())
        ]

    async def async_probe(self, requests: Iterable[Request]) -> None:
        """Fill the cache for every recorded camera of these windows (stale only)."""
        now = time.monotonic()
        keys = {
            (camera, request.window.start, request.window.end)
            for request in requests
            for camera in self._settings.recorded
        }
        missing = [
            key
            for key in keys
            if (cached := self._cache.get(key)) is None or now - cached[1] > FRESH_FOR
        ]
        if missing:
            self._store(await self._hass.async_add_executor_job(self._check, missing))

    async def _async_check_stale(self) -> None:
        try:
            while self._stale:
                keys, self._stale = list(self._stale), set()
                answers = await self._hass.async_add_executor_job(self._check, keys)
                if self._store(answers):
                    self._on_change()
        finally:
            self._checking = False

    def _store(self, answers: dict[Key, tuple[str, list[Gap]]]) -> bool:
        """Remember `answers`; True when one differs from what was shown."""
        now = time.monotonic()
        changed = False
        for key, (answer, gaps) in answers.items():
            before = self._cache.get(key)
            changed |= before is None or before[0] != answer
            changed |= self._gaps.get(key, []) != gaps
            self._cache[key] = (answer, now)
            self._gaps[key] = gaps
        return changed

    def _check(self, keys: list[Key]) -> dict[Key, tuple[str, list[Gap]]]:
        """Look at the segment folders (executor); each folder is listed once."""
        listed: dict[str, list[Segment]] = {}
        answers: dict[Key, tuple[str, list[Gap]]] = {}
        for camera, start, end in keys:
            if camera not in listed:
                listed[camera] = list_segments(self._directory(camera))
            found = select_footage(listed[camera], start, end)
            if found:
                gaps = [Gap(a, b) for a, b in missing_ranges(found, start, end)]
                answers[camera, start, end] = (FOOTAGE_YES, gaps)
            else:
                answers[camera, start, end] = (FOOTAGE_NO, [])
        return answers
