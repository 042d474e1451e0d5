"""The smoke's verdict on a delivered clip, on real files.

Clips are made by ffmpeg with the demo camera's own time code filter (started at
a known moment instead of the wall clock, so an 8 s clip takes a second to make);
manifests are signed with a real Ed25519 home key and stored by the reference
publisher's inbox, reached through the integration's own upload code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import shutil
import subprocess

import aiohttp
from aiohttp.test_utils import TestServer
import pytest

from custom_components.neighborhood_requests.delivery.outbox import idempotency_key
from custom_components.neighborhood_requests.delivery.upload import upload
from custom_components.neighborhood_requests.protocol import jws
from custom_components.neighborhood_requests.protocol.model import Manifest, Window
from demo import camera, clip_check, feed, timecode
from demo.clip_check import CheckFailed, Expected, Upload
from publisher.cli import run
from publisher.inbox import Inbox
from publisher.server import FeedFile, create_app

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
T0 = datetime(2026, 11, 29, 5, 14, 30, tzinfo=UTC)
CAMERA = "camera.front_door"
pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"
)


def make_clip(
    path: Path,
    starts: list[tuple[datetime, float]],
    *,
    audio: bool = False,
    strip: bool = True,
) -> Path:
    """Pieces of demo-camera video (time code from each start) joined into an MP4."""
    pieces = []
    for index, (start, seconds) in enumerate(starts):
        piece = path.with_name(f"{path.stem}.{index}.ts")
        vf = timecode.filter_chain(timecode.starting_at(start)) if strip else "null"
        argv = [FFMPEG, "-v", "error", "-y", "-f", "lavfi"]
        argv += ["-i", f"testsrc2=size=640x360:rate={camera.FRAME_RATE}"]
        if audio:
            argv += ["-f", "lavfi", "-i", "sine=frequency=440"]
        argv += ["-t", str(seconds), "-vf", vf, "-c:v", "libx264"]
        argv += ["-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30"]
        argv += ["-c:a", "aac"] if audio else ["-an"]
        subprocess.run([*argv, str(piece)], check=True)
        pieces.append(piece)
    joined = "concat:" + "|".join(str(p) for p in pieces)
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-i", joined, "-c", "copy", str(path)],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 s of camera footage whose time code starts at T0."""
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", [(T0, 8.0)])


def test_time_code_reads_every_frame(clip: Path) -> None:
    times = timecode.read_clip(FFMPEG, str(clip), near=T0 + timedelta(minutes=20))
    assert len(times.times) == 8 * camera.FRAME_RATE
    assert times.first == T0
    assert times.last == T0 + timedelta(seconds=7.75)
    assert times.largest_gap_s() == 0.25


def test_time_code_unwraps_across_its_period() -> None:
    period_s = timecode.PERIOD_TICKS / timecode.TICKS_PER_SECOND
    ticks = int(T0.timestamp() * timecode.TICKS_PER_SECOND) % timecode.PERIOD_TICKS
    for offset in (-0.4, 0.0, 0.4):
        near = T0 + timedelta(seconds=offset * period_s)
        assert timecode.unwrap(ticks, near) == T0


def test_footage_without_the_strip_is_refused(tmp_path: Path) -> None:
    plain = make_clip(tmp_path / "plain.mp4", [(T0, 1.0)], strip=False)
    with pytest.raises(timecode.TimecodeError, match="frame 0: no time code strip"):
        timecode.read_clip(FFMPEG, str(plain), near=T0)


def test_a_clip_covering_the_window_passes(clip: Path) -> None:
    start, end = T0 + timedelta(seconds=1), T0 + timedelta(seconds=7)
    found = clip_check.probe(FFPROBE, clip)
    assert found == clip_check.Probe(8.0, "h264", False, True)
    clip_check.check_probe(found, start, end)
    times = timecode.read_clip(FFMPEG, str(clip), near=start)
    assert clip_check.check_timecode(times, found.duration, start, end) == 1.0


@pytest.mark.parametrize(
    ("start_s", "end_s", "message"),
    [
        (1, 14, r"clip lasts 8\.00 s; a 13 s window exports as 10\.75\.\.19\.32 s"),
        (-6, -5, r"clip lasts 8\.00 s; a 1 s window exports as 0\.00\.\.7\.32 s"),
    ],
)
def test_a_clip_of_the_wrong_length_fails(
    clip: Path, start_s: int, end_s: int, message: str
) -> None:
    found = clip_check.probe(FFPROBE, clip)
    with pytest.raises(CheckFailed, match=message):
        clip_check.check_probe(
            found, T0 + timedelta(seconds=start_s), T0 + timedelta(seconds=end_s)
        )


def test_a_clip_of_other_footage_fails(clip: Path) -> None:
    """Right length, wrong time: only the time code can tell."""
    start = T0 + timedelta(minutes=5)
    times = timecode.read_clip(FFMPEG, str(clip), near=start)
    with pytest.raises(CheckFailed, match=r"clip starts at camera time 05:14:30\.00,"):
        clip_check.check_timecode(times, 8.0, start, start + timedelta(seconds=7))
    start = T0 + timedelta(seconds=1)
    with pytest.raises(CheckFailed, match=r"clip ends at camera time 05:14:37\.75,"):
        clip_check.check_timecode(times, 8.0, start, start + timedelta(seconds=4))


def test_footage_missing_inside_the_clip_fails(tmp_path: Path) -> None:
    gap = make_clip(tmp_path / "gap.mp4", [(T0, 4.0), (T0 + timedelta(seconds=7), 4.0)])
    found = clip_check.probe(FFPROBE, gap)
    start, end = T0 + timedelta(seconds=1), T0 + timedelta(seconds=10)
    times = timecode.read_clip(FFMPEG, str(gap), near=start)
    with pytest.raises(CheckFailed, match=r"3\.25 s of footage missing inside"):
        clip_check.check_timecode(times, found.duration, start, end)


def test_a_clip_with_audio_fails_when_audio_was_not_shared(tmp_path: Path) -> None:
    noisy = make_clip(tmp_path / "audio.mp4", [(T0, 2.0)], audio=True)
    found = clip_check.probe(FFPROBE, noisy)
    assert found.has_audio
    with pytest.raises(CheckFailed, match="audio track, but audio was not shared"):
        clip_check.check_probe(found, T0, T0 + timedelta(seconds=2))


def test_a_file_that_is_no_video_fails(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(CheckFailed, match="ffprobe cannot read"):
        clip_check.probe(FFPROBE, junk)


# Manifests ------------------------------------------------------------------


@pytest.fixture
async def delivered(
    tmp_path: Path, clip: Path, socket_enabled: None
) -> tuple[Upload, Expected]:
    """The clip shared to a real publisher inbox, as the integration uploads it."""
    publisher = feed.Publisher(tmp_path / "publisher", Path("unused"))
    assert run(["keygen", "--out", str(publisher.key_dir)]) == 0
    inbox = Inbox(tmp_path / "inbox")
    app_feed = FeedFile(publisher.feed, allow_loopback_upload=True)
    server = TestServer(
        create_app(app_feed, inbox, admin_token="demo-tests-admin-token"),
        host="127.0.0.1",
    )
    await server.start_server()
    site = feed.Site(str(server.make_url("")).rstrip("/"))
    request = feed.footage_request(
        # Issued now (the footage is older): an inbox takes no clips once expired.
        datetime.now(UTC),
        T0 + timedelta(seconds=1),
        T0 + timedelta(seconds=7),
        site,
    )
    files = publisher.write(site, [request])
    argv = ["sign", "--key", str(publisher.key), "--publisher"]
    argv += [str(publisher.publisher_file), *map(str, files)]
    assert run([*argv, "--out", str(publisher.feed)]) == 0

    home = jws.generate_private_key()
    kid = jws.public_jwk(home)["kid"]
    size, digest = clip_check.measure(clip)
    manifest = Manifest(
        request_id=request["id"],
        publisher_id=feed.PUBLISHER_ID,
        camera=CAMERA,
        window=Window(T0 + timedelta(seconds=1), T0 + timedelta(seconds=7)),
        sha256=digest,
        bytes=size,
        exported_at=T0 + timedelta(minutes=1),
        exporter_version="neighborhood_requests test",
        home_key_id=kid,
    )
    async with aiohttp.ClientSession() as session:
        outcome = await upload(
            session,
            site.upload_url(request["id"]),
            manifest_jws=jws.sign_manifest(manifest, home),
            clip_path=clip,
            idempotency_key=idempotency_key(feed.PUBLISHER_ID, request["id"], kid),
            expected_sha256=manifest.sha256,
            stall_timeout=30,
        )
    await server.close()
    assert outcome.delivered, outcome
    (stored,) = clip_check.uploads_for(inbox.root, request["id"])
    return stored, Expected(request["id"], feed.PUBLISHER_ID, CAMERA, kid)


async def test_a_delivered_clip_passes_the_manifest_check(
    delivered: tuple[Upload, Expected],
) -> None:
    stored, expected = delivered
    manifest = clip_check.check_manifest(stored, expected)
    assert manifest.home_key_id == expected.home_key_id
    assert stored.receipt["sha256"] == manifest.sha256
    assert clip_check.uploads_for(stored.folder.parents[2], "other-request") == []


async def test_a_manifest_by_another_key_fails(
    delivered: tuple[Upload, Expected],
) -> None:
    stored, expected = delivered
    other = jws.public_jwk(jws.generate_private_key())["kid"]
    with pytest.raises(CheckFailed, match=f"not by the home's key {other}"):
        clip_check.check_manifest(stored, replace(expected, home_key_id=other))


async def test_a_manifest_about_something_else_fails(
    delivered: tuple[Upload, Expected],
) -> None:
    stored, expected = delivered
    with pytest.raises(CheckFailed, match=r"manifest camera is 'camera\.front_door'"):
        clip_check.check_manifest(stored, replace(expected, camera="camera.garden"))
    with pytest.raises(CheckFailed, match="manifest include_audio is False"):
        clip_check.check_manifest(stored, replace(expected, include_audio=True))


async def test_a_forged_manifest_fails(delivered: tuple[Upload, Expected]) -> None:
    stored, expected = delivered
    header, payload, signature = stored.manifest_jws.read_text().strip().split(".")
    claims = json.loads(jws.b64url_decode(payload))
    claims["bytes"] += 1
    forged = jws.b64url_encode(json.dumps(claims).encode())
    stored.manifest_jws.write_text(f"{header}.{forged}.{signature}\n")
    with pytest.raises(CheckFailed, match="manifest signature does not verify"):
        clip_check.check_manifest(stored, expected)


async def test_a_changed_clip_fails(delivered: tuple[Upload, Expected]) -> None:
    stored, expected = delivered
    data = bytearray(stored.clip.read_bytes())
    data[-1] ^= 0xFF
    stored.clip.write_bytes(bytes(data))
    with pytest.raises(CheckFailed, match="does not match the manifest's"):
        clip_check.check_manifest(stored, expected)
    stored.clip.write_bytes(bytes(data) + b"x")
    with pytest.raises(CheckFailed, match=r"clip has \d+ bytes, manifest says"):
        clip_check.check_manifest(stored, expected)
