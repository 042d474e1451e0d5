"""A store that is on disk when `async_save` returns, beside Home Assistant's `Store`.

What `Store.async_save` guarantees (helpers/storage.py, util/file.py, 2026.10): it
writes a temporary file and renames it over the old one, but without `atomic_writes`
it never fsyncs, so after a power cut the rename or the data may be gone and the
old file comes back; a failed write is logged, not raised; and while Home Assistant
stops it only schedules the write for the final-write event. A decision must be on
disk before its export starts, and an outbox entry before its first byte is sent,
so none of those three will do. This store writes like `atomic_writes` does
(temporary file, fsync, rename, fsync of the folder), raises when the disk refuses,
and writes whenever asked.

It keeps `Store`'s file and envelope (`.storage/<key>`, `version`, `minor_version`,
`key`, `data`), so files written by earlier versions load unchanged, and it reads
and writes the file itself rather than through `Store`, whose cache would not see
these writes. Changes that matter less can still be coalesced (`async_delay_save`);
every save writes everything, so a durable save also carries what was pending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.util.json import json_loads

from .const import LOGGER
from .protocol.durable_file import fsync_dir, write_durably

RETRY_S = 30.0


class StorageVersionError(Exception):
    """The file was written by a newer version of the integration."""


class DurableStore:
    """One JSON document under `.storage/`, written durably from `data()`."""

    def __init__(
        self,
        hass: HomeAssistant,
        version: int,
        key: str,
        data: Callable[[], Any],
    ) -> None:
        self._hass = hass
        self._version = version
        self._key = key
        self._data = data
        self.path = Path(hass.config.path(STORAGE_DIR, key))
        self._lock = asyncio.Lock()
        self._dirty = False
        self._timer: asyncio.TimerHandle | None = None
        self._unsub_final: CALLBACK_TYPE | None = None
        # Where an unreadable file was moved at load, for the caller to report.
        self.set_aside: Path | None = None

    async def async_load(self) -> Any:
        """The stored `data`, or None for no file (or one set aside as unreadable)."""
        return await self._hass.async_add_executor_job(self._load)

    def _load(self) -> Any:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            envelope = json_loads(raw)
            if not isinstance(envelope, dict) or "data" not in envelope:
                raise ValueError("no data in the envelope")
        except ValueError as err:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = self.path.with_name(f"{self.path.name}.corrupt.{stamp}")
            self.path.replace(aside)
            fsync_dir(self.path.parent)
            self.set_aside = aside
            LOGGER.error(
                "%s is unreadable (%s); moved to %s and rebuilt from the audit log",
                self.path,
                err,
                aside,
            )
            return None
        version = envelope.get("version")
        if not isinstance(version, int) or version > self._version:
            raise StorageVersionError(
                f"{self.path} has version {version!r}; this integration reads "
                f"up to {self._version}"
            )
        return envelope["data"]

    async def async_save(self) -> None:
        """Write everything now and durably; OSError if the disk refused it."""
        self._cancel_timer()
        async with self._lock:
            self._dirty = False
            payload = json_bytes(
                {
                    "version": self._version,
                    "minor_version": 1,
                    "key": self._key,
                    "data": self._data(),
                }
            )
            try:
                await self._hass.async_add_executor_job(
                    write_durably, self.path, payload
                )
            except OSError:
                self._dirty = True
                raise

    @callback
    def async_delay_save(self, delay: float) -> None:
        """Write within `delay` seconds, coalescing changes made meanwhile."""
        self._dirty = True
        if self._unsub_final is None:
            self._unsub_final = self._hass.bus.async_listen_once(
                EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_final_write
            )
        if self._timer is None:
            self._timer = self._hass.loop.call_later(delay, self._on_timer)

    @callback
    def _on_timer(self) -> None:
        self._timer = None
        self._hass.async_create_background_task(
            self._async_flush_logged(retry=True), f"save {self._key}", eager_start=True
        )

    async def _async_final_write(self, _event: Event) -> None:
        self._unsub_final = None
        await self._async_flush_logged(retry=False)

    async def _async_flush_logged(self, *, retry: bool) -> None:
        try:
            await self.async_flush()
        except OSError as err:
            LOGGER.error("Could not save %s: %s", self.path, err)
            if retry:
                self.async_delay_save(RETRY_S)

    async def async_flush(self) -> None:
        """Write now if a delayed save is pending."""
        if self._dirty:
            await self.async_save()

    @callback
    def async_close(self) -> None:
        """Stop the timer and listener (after a final `async_flush`)."""
        self._cancel_timer()
        if self._unsub_final is not None:
            self._unsub_final()
            self._unsub_final = None

    @callback
    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def async_remove(self) -> None:
        """Delete the file (the entry itself was deleted)."""
        self.async_close()
        self._dirty = False
        await self._hass.async_add_executor_job(self._remove)

    def _remove(self) -> None:
        self.path.unlink(missing_ok=True)
        fsync_dir(self.path.parent)
