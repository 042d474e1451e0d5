"""A small RTSP camera on 127.0.0.1: ffmpeg publishes, recorders play over TCP.

A real camera packetises its encoder's output into RTP, sends RTCP sender reports
that tie each stream's RTP clock to one wall clock, and serves both interleaved on
the RTSP connection (RFC 2326 §10.12) when the client asks for TCP. Here ffmpeg's
own RTSP muxer does the packetising (H.264, HEVC, AAC, G.711, MJPEG, ...) and
publishes to this server with ANNOUNCE/RECORD over TCP; every player that sends
DESCRIBE/SETUP/PLAY gets the publisher's SDP and, from then on, every RTP and RTCP
packet relayed on its own interleaved channels. So the bytes a recorder reads are
those of a real RTSP session, and nothing here decodes or re-times media.

The camera can go offline (players dropped, new connections refused while the
publisher keeps running, so frame numbers keep following the wall clock) and come
back on the same port, and it can demand a login it never accepts.

Camera servers differ in when a new player hears the first RTCP sender report,
the only thing that ties the audio's RTP clock to the video's: some (live555, for
one) send the latest report of every stream right after PLAY, many send their
periodic report only every few seconds, so a player gets audio and video for up
to five seconds before it can tell how they line up. `report_delay` (seconds
after PLAY, one for all streams or one per stream in SETUP order) makes this
camera one of the latter; by default it is one of the former.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import re
import time

_CONTROL = re.compile(rb"a=control:(\S+)")


@dataclass(slots=True, eq=False)
class _Player:
    writer: asyncio.StreamWriter
    channels: dict[str, int] = field(default_factory=dict)  # control -> RTP channel
    playing: bool = False
    # control -> wall time from which it gets that stream's sender reports
    reports_from: dict[str, float] = field(default_factory=dict)


class RtspCamera:
    """Relay one publisher's RTSP session to any number of players."""

    def __init__(
        self,
        media: str,
        *,
        ffmpeg: str = "ffmpeg",
        password_required: bool = False,
        report_delay: float | tuple[float, ...] | None = None,
    ) -> None:
        self.media = media
        self.report_delay = report_delay
        self.ffmpeg = ffmpeg
        self.password_required = password_required
        self.sdp: bytes | None = None
        self.first_packet_at: float | None = None  # wall clock of the first RTP byte
        self.port = 0
        self.publish_port = 0
        self.plays = 0
        self._publisher_channels: dict[int, str] = {}  # channel -> control
        self._reports: dict[str, bytes] = {}  # control -> latest RTCP packet
        self._players: set[_Player] = set()
        self._server: asyncio.Server | None = None
        self._publish_server: asyncio.Server | None = None
        self._published = asyncio.Event()
        self._publisher: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """What a recorder opens."""
        return f"rtsp://127.0.0.1:{self.port}/camera"

    async def start(self) -> None:
        """Serve players and publish the media, at its own pace, to them."""
        self._publish_server = await asyncio.start_server(
            self._publisher_session, "127.0.0.1", 0
        )
        self.publish_port = self._publish_server.sockets[0].getsockname()[1]
        await self.online()
        self._publisher = await asyncio.create_subprocess_exec(
            self.ffmpeg,
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-i",
            self.media,
            "-map",
            "0",
            "-c",
            "copy",
            "-f",
            "rtsp",
            "-rtsp_transport",
            "tcp",
            f"rtsp://127.0.0.1:{self.publish_port}/camera",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(30):
            await self._published.wait()

    async def online(self) -> None:
        """Accept players (again) on the same port as before."""
        self._server = await asyncio.start_server(
            self._player_session, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def offline(self) -> None:
        """Drop every player and refuse new ones, like a camera losing Wi-Fi."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for player in list(self._players):
            player.writer.transport.abort()
        self._players.clear()
        if server is not None:
            await server.wait_closed()

    async def stop(self) -> None:
        """Stop everything, the publisher included."""
        await self.offline()
        if self._publisher is not None and self._publisher.returncode is None:
            self._publisher.kill()
            await self._publisher.wait()
        if self._publish_server is not None:
            self._publish_server.close()
            await self._publish_server.wait_closed()

    # The publisher: ANNOUNCE, SETUP per stream, RECORD, then interleaved packets.

    async def _publisher_session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                first = await reader.readexactly(1)
                if first == b"$":
                    header = await reader.readexactly(3)
                    channel, size = header[0], int.from_bytes(header[1:])
                    packet = await reader.readexactly(size)
                    self._relay(channel, first + header + packet)
                    continue
                method, uri, headers, body = await _request(first, reader)
                extra: dict[str, str] = {}
                if method == "ANNOUNCE":
                    self.sdp = body
                elif method == "SETUP":
                    transport = headers.get("transport", "")
                    found = re.search(r"interleaved=(\d+)", transport)
                    if found is None:
                        _reply(writer, headers, 461, "Unsupported Transport")
                        continue
                    control = uri.rsplit("/", 1)[-1]
                    self._publisher_channels[int(found.group(1))] = control
                    self._publisher_channels[int(found.group(1)) + 1] = (
                        control + "#rtcp"
                    )
                    extra = {"Transport": transport, "Session": "publisher"}
                elif method == "RECORD":
                    extra = {"Session": "publisher"}
                    self._published.set()
                _reply(writer, headers, 200, "OK", extra)
        except asyncio.IncompleteReadError, ConnectionError:
            pass
        finally:
            writer.close()

    def _relay(self, channel: int, packet: bytes) -> None:
        control = self._publisher_channels.get(channel)
        if control is None:
            return
        if self.first_packet_at is None:
            self.first_packet_at = time.time()
        rtcp = control.endswith("#rtcp")
        base = control.removesuffix("#rtcp")
        if rtcp:
            self._reports[base] = packet
        for player in list(self._players):
            target = player.channels.get(base)
            if not player.playing or target is None:
                continue
            if rtcp and time.time() < player.reports_from.get(base, 0.0):
                continue  # this camera has not reported to the new player yet
            if player.writer.transport.get_write_buffer_size() > 8 * 1024 * 1024:
                continue  # a player that stopped reading loses packets, as on a camera
            player.writer.write(bytes((0x24, target + rtcp)) + packet[2:])

    def _report(self, player: _Player, control: str) -> None:
        """Send `player` the latest sender report of one stream."""
        report = self._reports.get(control)
        channel = player.channels.get(control)
        if report is None or channel is None or player not in self._players:
            return
        player.writer.write(bytes((0x24, channel + 1)) + report[2:])

    # A player: OPTIONS, DESCRIBE, SETUP per stream, PLAY, keep-alives, TEARDOWN.

    async def _player_session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        player = _Player(writer)
        self._players.add(player)
        try:
            while True:
                first = await reader.readexactly(1)
                if first == b"$":  # the player's RTCP receiver reports
                    header = await reader.readexactly(3)
                    await reader.readexactly(int.from_bytes(header[1:]))
                    continue
                method, uri, headers, _ = await _request(first, reader)
                if self.password_required and "authorization" not in headers:
                    _reply(
                        writer,
                        headers,
                        401,
                        "Unauthorized",
                        {"WWW-Authenticate": 'Basic realm="camera"'},
                    )
                    continue
                if self.password_required:
                    _reply(writer, headers, 401, "Unauthorized")
                    continue
                self._answer(player, method, uri, headers)
        except asyncio.IncompleteReadError, ConnectionError:
            pass
        finally:
            self._players.discard(player)
            writer.close()

    def _answer(
        self, player: _Player, method: str, uri: str, headers: dict[str, str]
    ) -> None:
        writer = player.writer
        if method == "OPTIONS":
            public = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"
            _reply(writer, headers, 200, "OK", {"Public": public})
        elif method == "DESCRIBE":
            assert self.sdp is not None
            body = self.sdp.decode()
            extra = {
                "Content-Base": f"{self.url}/",
                "Content-Type": "application/sdp",
            }
            _reply(writer, headers, 200, "OK", extra, body=body.encode())
        elif method == "SETUP":
            transport = headers.get("transport", "")
            found = re.search(r"interleaved=(\d+)", transport)
            if "TCP" not in transport or found is None:
                _reply(writer, headers, 461, "Unsupported Transport")
                return
            player.channels[uri.rsplit("/", 1)[-1]] = int(found.group(1))
            extra = {"Transport": transport, "Session": "12345678;timeout=60"}
            _reply(writer, headers, 200, "OK", extra)
        elif method == "PLAY":
            player.playing = True
            self.plays += 1
            _reply(writer, headers, 200, "OK", {"Session": "12345678"})
            if self.report_delay is not None:
                delays = self.report_delay
                if isinstance(delays, float | int):
                    delays = (float(delays),) * len(player.channels)
                loop = asyncio.get_running_loop()
                for control, delay in zip(player.channels, delays, strict=True):
                    player.reports_from[control] = time.time() + delay
                    loop.call_later(delay, self._report, player, control)
                return
            for control in player.channels:
                self._report(player, control)
        elif method == "TEARDOWN":
            player.playing = False
            _reply(writer, headers, 200, "OK", {"Session": "12345678"})
        else:  # GET_PARAMETER keep-alives and anything else harmless
            _reply(writer, headers, 200, "OK", {"Session": "12345678"})


async def _request(
    first: bytes, reader: asyncio.StreamReader
) -> tuple[str, str, dict[str, str], bytes]:
    head = first + await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, uri, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return method, uri, headers, body


def _reply(
    writer: asyncio.StreamWriter,
    request: dict[str, str],
    status: int,
    reason: str,
    extra: dict[str, str] | None = None,
    *,
    body: bytes = b"",
) -> None:
    lines = [f"RTSP/1.0 {status} {reason}", f"CSeq: {request.get('cseq', '0')}"]
    lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
