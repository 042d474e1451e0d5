"""Joining segments without ffmpeg: same frames as the concat demuxer, one pass."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import itertools
import os
from pathlib import Path
import shutil
import statistics
import struct
import threading

import pytest

from custom_components.neighborhood_requests.export import join
from custom_components.neighborhood_requests.export.clip import export_clip
from custom_components.neighborhood_requests.export.faststart import CopyStopped
from custom_components.neighborhood_requests.export.join import (
    Cut,
    Unjoinable,
    index_bytes,
    plan_join,
    write_join,
)
from custom_components.neighborhood_requests.export.mp4 import read_mp4
from custom_components.neighborhood_requests.export.result import ExportError
from custom_components.neighborhood_requests.export.segments import segment_name

from .footage import (
    FFMPEG,
    Assets,
    codec_types,
    decoded_frames,
    decodes_cleanly,
    ffprobe_json,
    lay_out,
    names,
    probe,
    run,
    sha256_of,
    top_level_boxes,
)

T0 = datetime(2026, 11, 20, 14, 0, 0, tzinfo=UTC)
QUIET = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


async def both_ways(
    segments_dir: Path,
    tmp_path: Path,
    start: float,
    end: float,
    *,
    include_audio: bool = False,
) -> tuple[Path, Path]:
    """The window exported by the joiner and by ffmpeg's concat demuxer."""
    joined = await export_clip(
        ffmpeg="/nonexistent/ffmpeg",  # the joiner must not need it
        segments_dir=segments_dir,
        start=at(start),
        end=at(end),
        destination=tmp_path / "joined.mp4",
        include_audio=include_audio,
    )
    assert joined.sha256 == sha256_of(joined.path)
    assert joined.bytes == joined.path.stat().st_size
    by_ffmpeg = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=at(start),
        end=at(end),
        destination=tmp_path / "ffmpeg.mp4",
        layout="fragmented",
        include_audio=include_audio,
    )
    return joined.path, by_ffmpeg.path


async def test_same_pictures_as_the_concat_demuxer(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0)
    joined, by_ffmpeg = await both_ways(segments_dir, tmp_path, 3.5, 8.2)
    assert top_level_boxes(joined) == ["ftyp", "moov", "mdat"]
    frames = await decoded_frames(joined)
    assert frames == await decoded_frames(by_ffmpeg)
    # Keyframe at 2 s (the second before 3.5, rounded down to the 1 s GOP) up to
    # the frame shown at 8.1 s: 62 frames at 10 fps, nothing dropped at the seams.
    assert len(frames) == 62
    info = await probe(joined)
    assert codec_types(info) == ["video"]
    assert float(info["format"]["duration"]) == pytest.approx(6.2)
    await decodes_cleanly(joined)
    assert sorted(names(tmp_path)) == ["ffmpeg.mp4", "joined.mp4", "recordings"]


async def test_audio_follows_the_video(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0)
    joined, by_ffmpeg = await both_ways(
        segments_dir, tmp_path, 1, 9, include_audio=True
    )
    info = await probe(joined)
    assert codec_types(info) == ["video", "audio"]
    video, audio = (float(stream["duration"]) for stream in info["streams"])
    assert audio == pytest.approx(video, abs=0.07)  # one AAC frame at 16 kHz
    assert await decoded_frames(joined) == await decoded_frames(by_ffmpeg)
    mp4 = read_mp4(joined)
    assert mp4 is not None
    assert mp4.has_audio
    assert mp4.moov_before_mdat
    await decodes_cleanly(joined)


async def test_audio_realigned_where_the_recorder_restarted(
    assets: Assets, tmp_path: Path
) -> None:
    """Each copy of the first segment restarts its audio with the encoder's
    priming: laid end to end the audio would run ahead of the video by that much
    per seam. Realigned, every audio frame keeps its full length (a player that
    follows the samples hears them where their timestamps say) and each copy's
    sound starts with its picture; the picture before a seam is held up to one
    audio frame longer for that."""
    first = assets.segments[0]
    plan = plan_join([Cut(first)] * 6, True)
    video, audio = plan.tracks
    video_s = sum(video.durations) / video.first.timescale
    audio_s = sum(audio.durations) / audio.first.timescale
    frame = statistics.median(audio.durations)
    frame_s = max(audio.durations) / audio.first.timescale
    assert 12.0 <= video_s <= 12.0 + 5 * frame_s
    assert abs(audio_s - video_s) <= frame_s
    # Nothing stretched or cut (a tick of rounding where clocks meet).
    assert all(abs(d - frame) <= 1 for d in audio.durations[:-1]), audio.durations
    destination = tmp_path / "restarts.mp4"
    await asyncio.to_thread(write_join, plan, destination)
    await decodes_cleanly(destination)
    # Each copy's first audio frame (the same bytes every time) starts with its
    # copy's first picture, give or take a frame.
    packets = await audio_packets(destination)
    opening = packets[0][1]
    starts = [time for time, digest in packets if digest == opening]
    assert len(starts) == 6
    pictures = sorted(await video_times(destination))
    per_copy = len(pictures) // 6
    for index, time in enumerate(starts):
        assert abs(time - pictures[index * per_copy]) <= frame_s


async def test_silence_fills_sound_that_ended_early(
    assets: Assets, tmp_path: Path
) -> None:
    """The sound before a reconnect ended half a second before its picture,
    and the next run's sound starts with its picture: frames of silence fill
    the difference, so the sound stays continuous (no frame stretched, nothing
    of the old sound carried across) and the next run's sound meets its
    picture."""
    first = assets.segments[0]
    sound = tmp_path / "sound.m4a"
    run(*QUIET, "-i", str(first), "-t", "1.5", "-vn", "-c", "copy", str(sound))
    early = tmp_path / "early.mp4"
    run(
        *QUIET,
        *("-i", str(first), "-i", str(sound), "-map", "0:v", "-map", "1:a"),
        *("-c", "copy", str(early)),
    )
    plan = plan_join([Cut(early), Cut(first)], True)
    video, audio = plan.tracks
    frame = statistics.median_low(audio.durations)
    assert all(abs(d - frame) <= 1 for d in audio.durations[:-1]), audio.durations
    assert any(isinstance(source, bytes) for source, _ in plan.copies)
    destination = tmp_path / "filled.mp4"
    await asyncio.to_thread(write_join, plan, destination)
    await decodes_cleanly(destination)
    # The encoder's priming frame comes before the first picture; the frame
    # after it opens each copy's sound.
    packets = await audio_packets(destination)
    opening = packets[1][1]
    starts = [time for time, digest in packets if digest == opening]
    pictures = sorted(await video_times(destination))
    half = len(pictures) // 2
    frame_s = frame / audio.first.timescale
    assert len(starts) == 2
    assert abs(starts[1] - pictures[half]) <= frame_s
    # The last picture before the seam was held less than an audio frame longer.
    assert pictures[half] - pictures[half - 1] < 0.1 + frame_s
    assert len(video.durations) == len(pictures)


async def video_times(path: Path) -> list[float]:
    """Presentation time of every video packet, read by ffprobe."""
    found = await ffprobe_json(
        "-select_streams", "v", "-show_entries", "packet=pts_time", str(path)
    )
    return [float(p["pts_time"]) for p in found["packets"]]


async def audio_packets(path: Path) -> list[tuple[float, str]]:
    """(presentation time, SHA-256) of every audio packet, read by ffprobe."""
    found = await ffprobe_json(
        "-select_streams",
        "a",
        "-show_packets",
        "-show_data_hash",
        "sha256",
        "-show_entries",
        "packet=pts_time,data_hash",
        str(path),
    )
    return [(float(p["pts_time"]), p["data_hash"]) for p in found["packets"]]


@pytest.fixture(scope="module")
def b_frame_segments(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """25 fps with two B-frames between references: frames decode out of order."""
    folder = tmp_path_factory.mktemp("bframes")
    run(
        *QUIET,
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-t",
        "8",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-g",
        "25",
        "-bf",
        "2",
        "-f",
        "segment",
        "-segment_time",
        "2",
        "-reset_timestamps",
        "1",
        str(folder / "seg%02d.mp4"),
    )
    return sorted(folder.glob("seg*.mp4"))


def place(segments: list[Path], folder: Path) -> None:
    """Copy segments into a camera folder, named 2 s apart from T0."""
    folder.mkdir(parents=True)
    for index, path in enumerate(segments):
        shutil.copyfile(path, folder / segment_name(at(2 * index)))


async def test_reordered_frames_cover_the_window(
    b_frame_segments: list[Path], segments_dir: Path, tmp_path: Path
) -> None:
    await asyncio.to_thread(place, b_frame_segments, segments_dir)
    joined, by_ffmpeg = await both_ways(segments_dir, tmp_path, 1.55, 5.25)
    frames = await decoded_frames(joined)
    # From the keyframe at 0 s to the frame shown at 5.24 s: 132 frames. The
    # concat demuxer stops on decode times, so it adds two frames after the
    # window; up to there both show the same pictures.
    assert len(frames) == 132
    assert frames == (await decoded_frames(by_ffmpeg))[:132]
    info = await probe(joined)
    assert float(info["streams"][0]["start_time"]) == 0
    assert float(info["format"]["duration"]) == pytest.approx(5.28)
    await decodes_cleanly(joined)


def test_cuts_round_outward_to_keyframes_and_frames(assets: Assets) -> None:
    first, middle, last = assets.segments[:3]
    plan = plan_join(
        [Cut(first, inpoint=1.55), Cut(middle), Cut(last, outpoint=1.25)], False
    )
    (video,) = plan.tracks
    # 10 frames from the keyframe at 1.0 s, 20, then 13 (shown at 0.0-1.2 s).
    assert len(video.sizes) == 10 + 20 + 13
    assert video.sync[0]
    assert sum(video.durations) / video.first.timescale == pytest.approx(4.3)
    # A cut exactly on a keyframe starts there; one before any frame keeps one.
    # Times are the segment's: its video starts 64 ms in (an empty edit, as
    # ffmpeg writes when the audio starts first), so that keyframe shows at 1.064.
    assert len(plan_join([Cut(first, inpoint=1.064)], False).tracks[0].sizes) == 10
    assert len(plan_join([Cut(first, inpoint=1.0)], False).tracks[0].sizes) == 20
    assert len(plan_join([Cut(first, outpoint=0.0)], False).tracks[0].sizes) == 1


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_edit_lists() -> None:
    one = struct.pack(">IiI", 20, 2, 0x10000)
    empty = struct.pack(">IiI", 5, -1, 0x10000)

    def trak(*entries: bytes) -> bytes:
        count = struct.pack(">4xI", len(entries))
        return box(b"edts", box(b"elst", count + b"".join(entries)))

    assert join._media_time(trak(empty, one)) == 2  # a delay, then the media
    assert join._media_time(box(b"edts", b"")) == 0
    assert join._media_time(b"") == 0
    with pytest.raises(Unjoinable, match="several edits"):
        join._media_time(trak(one, one))
    wide = struct.pack(">B3xIQqI", 1, 1, 20, 7, 0x10000)
    assert join._media_time(box(b"edts", box(b"elst", wide))) == 7


def test_uniform_sizes_and_headers() -> None:
    stbl = box(b"stsz", struct.pack(">4xII", 100, 3))
    assert join._sizes(stbl) == [100, 100, 100]
    with pytest.raises(Unjoinable, match="short stsz"):
        join._sizes(box(b"stsz", bytes(8)))
    version_0 = bytes(4) + bytes(8) + struct.pack(">II", 1000, 5) + bytes(4)
    assert join._duration_at(version_0, 16, 24, 9)[16:20] == struct.pack(">I", 9)
    with pytest.raises(Unjoinable, match="too long for a 32-bit header"):
        join._duration_at(version_0, 16, 24, 2**32)
    version_1 = b"\x01" + bytes(19) + struct.pack(">IQ", 1000, 5) + bytes(4)
    assert join._duration_at(version_1, 16, 24, 2**40)[24:32] == struct.pack(
        ">Q", 2**40
    )


def test_audio_end_is_trimmed_frame_by_frame(assets: Assets) -> None:
    plan = plan_join([Cut(assets.segments[0])], True)
    audio = join._Output(plan.tracks[1].first)
    audio.durations, audio.sizes = [10, 10, 10], [1, 1, 1]
    audio.sync, audio.composition = [True] * 3, [0] * 3
    audio.chunk_frames, audio.chunk_offsets = [2, 1], [0, 2]
    audio.chunk_descriptions = [1, 1]
    audio.end_at(35)  # within a frame of the end: left alone
    assert audio.durations == [10, 10, 10]
    audio.end_at(15)  # the third frame would start after the end
    assert audio.durations == [10, 5]
    assert (audio.chunk_frames, audio.chunk_offsets) == ([2], [0])
    audio.end_at(-20)
    assert (audio.sizes, audio.chunk_frames, audio.chunk_offsets) == ([], [], [])


def test_bit_rate_fields_in_an_esds() -> None:
    """The decoder configuration follows ES_ID, flags and the optional fields."""
    config = bytes([0x40, 0x15]) + bytes(3) + struct.pack(">II", 9, 8) + bytes(2)
    for flags, optional in ((0, b""), (0xE0, b"\0\1" + b"\3url" + b"\0\2")):
        es = b"\0\1" + bytes([flags]) + optional + b"\x04\x80\x80" + bytes([15])
        esds = box(b"esds", bytes(4) + b"\x03" + bytes([len(es) + 15]) + es + config)
        (at,) = join._rate_fields(esds)
        assert join._rates_at(esds, at) == (0, 9, 8)
    assert join._rate_fields(box(b"esds", bytes(4) + b"\x03")) == []  # cut short


def test_a_plan_that_disagrees_with_its_copies(assets: Assets, tmp_path: Path) -> None:
    plan = plan_join([Cut(assets.segments[0], outpoint=0.0)], False)
    assert b"stsz" in index_bytes(plan)  # one frame: one uniform size
    plan.media_bytes -= 1
    with pytest.raises(ExportError, match="different size than its index"):
        write_join(plan, tmp_path / "clip.mp4")
    assert names(tmp_path) == []
    assert list(join._pieces([])) == []


def test_large_clips_get_64_bit_offsets(assets: Assets) -> None:
    plan = plan_join([Cut(path) for path in assets.segments[:2]], False)
    small = index_bytes(plan)
    assert b"stco" in small
    assert b"co64" not in small
    plan.media_bytes = 2**32
    large = index_bytes(plan)
    assert b"co64" in large
    assert b"stco" not in large
    assert large.endswith(struct.pack(">I4sQ", 1, b"mdat", 2**32 + 16))
    (offset,) = struct.unpack_from(">Q", large, large.index(b"co64") + 12)
    assert offset == len(large)  # the first chunk starts right after the header


def test_reads_are_grouped_but_never_larger_than_one_buffer() -> None:
    size = join._READ
    groups = list(join._pieces([(0, 10), (20, 10), (size, 5), (size + 5, 2 * size)]))
    assert groups == [
        [(0, 10), (20, 10)],
        [(size, 5)],
        [(size + 5, size)],
        [(2 * size + 5, size)],
    ]
    for group in groups:
        assert group[-1][0] + group[-1][1] - group[0][0] <= size


async def test_bit_rates_describe_the_whole_clip(
    assets: Assets, tmp_path: Path
) -> None:
    plan = plan_join([Cut(path) for path in assets.segments], True)
    video, audio = plan.tracks
    # ffmpeg measured each segment's rates into btrt (video) and esds + btrt
    # (audio); the joined track's average is recomputed over the whole clip.
    assert len(join._rate_fields(video.descriptions[0])) == 1
    assert len(join._rate_fields(audio.descriptions[0])) == 2
    for track in (video, audio):
        (description,) = track.descriptions
        for field in join._rate_fields(description):
            _, peak, average = join._rates_at(description, field)
            seconds = sum(track.durations) / track.first.timescale
            assert average == round(sum(track.sizes) * 8 / seconds)
            assert peak >= average
    destination = tmp_path / "all.mp4"
    await asyncio.to_thread(write_join, plan, destination)
    info = await probe(destination)
    assert int(info["streams"][0]["bit_rate"]) == pytest.approx(
        join._rates_at(
            video.descriptions[0], join._rate_fields(video.descriptions[0])[0]
        )[2],
        rel=0.02,
    )


def fragmented_copy(source: Path, destination: Path) -> None:
    run(
        *QUIET,
        "-i",
        str(source),
        "-c",
        "copy",
        "-movflags",
        "frag_keyframe+empty_moov",
        str(destination),
    )


async def test_a_segment_without_sound_joins(assets: Assets, tmp_path: Path) -> None:
    """The last segment before a camera drops out can end before any of its
    sound was muxed: it joins (no fallback to ffmpeg's concat demuxer), the
    sound around it stays where it belongs and the hole is silence."""
    first, second, third = assets.segments[:3]
    silent = tmp_path / "silent.mp4"
    run(*QUIET, "-i", str(second), "-an", "-c", "copy", "-copyts", str(silent))
    plan = plan_join([Cut(first), Cut(silent), Cut(third)], True)
    _, audio = plan.tracks
    rate = audio.first.timescale
    frame = statistics.median(audio.durations)
    # The sound of the first segment is held across the silent one: the third
    # segment's sound starts with its own picture, at 4 s.
    starts = list(itertools.accumulate(audio.durations, initial=0))
    assert any(abs(start / rate - 4.0) <= frame / rate for start in starts)
    assert sum(audio.durations) / rate == pytest.approx(6.0, abs=frame / rate)
    destination = tmp_path / "joined.mp4"
    await asyncio.to_thread(write_join, plan, destination)
    await decodes_cleanly(destination)


async def test_a_new_resolution_is_another_sample_description(
    assets: Assets, tmp_path: Path
) -> None:
    """A camera whose resolution changed mid-window: one clip, two sample
    descriptions, each frame decoded at its own size; the header is as large as
    the larger picture."""
    first = assets.segments[0]
    plan = plan_join([Cut(first), Cut(assets.resized_segment), Cut(first)], True)
    video, _ = plan.tracks
    assert len(video.descriptions) == 2
    assert video.chunk_descriptions[0] == 1
    assert set(video.chunk_descriptions) == {1, 2}
    destination = tmp_path / "resized.mp4"
    await asyncio.to_thread(write_join, plan, destination)
    await decodes_cleanly(destination)
    sizes = await ffprobe_json(
        *("-select_streams", "v", "-show_entries", "frame=width,height"),
        str(destination),
    )
    seen = [(f["width"], f["height"]) for f in sizes["frames"]]
    runs = [(size, len(list(group))) for size, group in itertools.groupby(seen)]
    assert [size for size, _ in runs] == [(320, 240), (160, 120), (320, 240)]
    assert sum(count for _, count in runs) == len(video.durations)
    stream = (await probe(destination))["streams"][0]
    assert (stream["width"], stream["height"]) == (320, 240)


def test_segments_it_leaves_to_ffmpeg(assets: Assets, tmp_path: Path) -> None:
    first, second = assets.segments[:2]
    fragmented = tmp_path / "fragmented.mp4"
    fragmented_copy(first, fragmented)
    with pytest.raises(Unjoinable, match="fragmented segments"):
        plan_join([Cut(fragmented)], False)
    # Only its header (moov with mvex), as if cut off before the first fragment.
    header_only = tmp_path / "header_only.mp4"
    data = fragmented.read_bytes()
    header_only.write_bytes(data[: data.index(b"moof") - 4])
    with pytest.raises(Unjoinable, match="fragmented segments"):
        plan_join([Cut(header_only)], False)
    audio_only = tmp_path / "audio_only.mp4"
    run(*QUIET, "-i", str(first), "-vn", "-c", "copy", str(audio_only))
    with pytest.raises(Unjoinable, match="exactly one video track"):
        plan_join([Cut(audio_only)], False)
    resampled = tmp_path / "resampled.mp4"
    run(*QUIET, "-i", str(second), "-c:v", "copy", "-ar", "8000", str(resampled))
    with pytest.raises(Unjoinable, match="audio parameters change"):
        plan_join([Cut(first), Cut(resampled)], True)
    assert len(plan_join([Cut(first), Cut(resampled)], False).tracks) == 1
    silent = tmp_path / "silent.mp4"
    run(*QUIET, "-i", str(second), "-an", "-c", "copy", str(silent))
    # Without audio asked for, a silent segment joins a loud one.
    assert len(plan_join([Cut(first), Cut(silent)], False).tracks) == 1
    unfinished = tmp_path / "unfinished.mp4"
    unfinished.write_bytes(first.read_bytes()[: first.stat().st_size // 2])
    with pytest.raises(Unjoinable, match="cut short"):
        plan_join([Cut(unfinished)], False)
    no_index = tmp_path / "no_index.mp4"
    no_index.write_bytes(struct.pack(">I4s", 16, b"mdat") + bytes(8))
    with pytest.raises(Unjoinable, match="has no index"):
        plan_join([Cut(no_index)], False)
    with pytest.raises(ExportError, match="cannot read"):
        plan_join([Cut(tmp_path / "gone.mp4")], False)
    with pytest.raises(ExportError, match="no segments"):
        plan_join([], False)


def damaged(source: Path, folder: Path, box: bytes, patch: bytes) -> Path:
    """A copy of `source` with the payload of its first `box` overwritten."""
    data = bytearray(source.read_bytes())
    at = data.index(box) + 4
    data[at : at + len(patch)] = patch
    path = folder / f"damaged-{box.decode()}.mp4"
    path.write_bytes(bytes(data))
    return path


def renamed(source: Path, folder: Path, old: bytes, new: bytes) -> Path:
    """A copy of `source` with its first `old` box retyped as `new`."""
    path = folder / f"renamed-{old.decode()}.mp4"
    path.write_bytes(source.read_bytes().replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("box", "patch", "message"),
    [
        (b"stsz", struct.pack(">4xII", 0, 2**20), "short stsz"),
        (b"stts", struct.pack(">4xI", 2**20), "too many entries"),
        (b"stts", struct.pack(">4xIII", 1, 1, 100), "disagree on the frame count"),
        (b"stss", struct.pack(">4xII", 1, 10**6), "stss names a frame"),
        (b"stsc", struct.pack(">4xIIII", 1, 1, 1000, 1), "more frames"),
        (b"stsc", struct.pack(">4xIIII", 1, 1, 0, 1), "fewer frames"),
        (b"stsc", struct.pack(">4xIIII", 1, 1, 1, 2), "another sample description"),
        (b"stsd", struct.pack(">4xI", 2), "several sample descriptions"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_damaged_tables_are_refused(
    assets: Assets, tmp_path: Path, box: bytes, patch: bytes, message: str
) -> None:
    damaged_copy = damaged(assets.segments[0], tmp_path, box, patch)
    with pytest.raises(Unjoinable, match=message):
        plan_join([Cut(damaged_copy)], False)


def test_unusual_layouts_are_refused(assets: Assets, tmp_path: Path) -> None:
    first = assets.segments[0]
    with pytest.raises(Unjoinable, match="no mvhd box"):
        plan_join([Cut(renamed(first, tmp_path, b"mvhd", b"skip"))], False)
    with pytest.raises(Unjoinable, match="compact sample sizes"):
        plan_join([Cut(renamed(first, tmp_path, b"stsz", b"stz2"))], False)
    # Boxes missing or overrunning their parent: ffmpeg may still read it.
    unnamed = tmp_path / "unnamed.mp4"
    unnamed.write_bytes(first.read_bytes().replace(b"stsd", b"skip", 1))
    with pytest.raises(Unjoinable, match=r"damaged MP4: unnamed\.mp4"):
        plan_join([Cut(unnamed)], False)
    overrun = damaged(first, tmp_path, b"stbl", b"")
    data = bytearray(overrun.read_bytes())
    at = data.index(b"stbl") - 4
    data[at : at + 4] = struct.pack(">I", 2**31)
    overrun.write_bytes(bytes(data))
    with pytest.raises(Unjoinable, match="overruns its parent"):
        plan_join([Cut(overrun)], False)


async def test_footage_on_another_clock_falls_back_to_ffmpeg(
    assets: Assets, segments_dir: Path, tmp_path: Path
) -> None:
    lay_out(assets, segments_dir, T0, other_clock=frozenset({2}))
    result = await export_clip(
        ffmpeg=FFMPEG,
        segments_dir=segments_dir,
        start=at(1),
        end=at(7),
        destination=tmp_path / "clip.mp4",
    )
    assert result.sha256 == sha256_of(result.path)
    boxes = top_level_boxes(result.path)  # ffmpeg's own, with a `free` box
    assert boxes[:2] == ["ftyp", "moov"]
    assert boxes[-1] == "mdat"
    assert float((await probe(result.path))["format"]["duration"]) >= 6


def test_short_writes_are_completed(
    assets: Assets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pwritev may write less than asked; the rest follows, in order."""
    real = os.pwritev

    def dribble(fd: int, buffers: list[memoryview], offset: int) -> int:
        return real(fd, [buffers[0][:1000]], offset)

    monkeypatch.setattr(os, "pwritev", dribble)
    plan = plan_join([Cut(path) for path in assets.segments[:2]], True)
    digest, size = write_join(plan, tmp_path / "clip.mp4")
    assert (digest, size) == (
        sha256_of(tmp_path / "clip.mp4"),
        (tmp_path / "clip.mp4").stat().st_size,
    )


def test_stop_and_shrinking_sources_leave_nothing(
    assets: Assets, tmp_path: Path
) -> None:
    stop = threading.Event()
    stop.set()
    plan = plan_join([Cut(path) for path in assets.segments[:2]], False)
    with pytest.raises(CopyStopped):
        write_join(plan, tmp_path / "clip.mp4", stop)
    source = tmp_path / "source.mp4"
    shutil.copyfile(assets.segments[0], source)
    plan = plan_join([Cut(source)], False)
    os.truncate(source, plan.copies[0][1][0][0] + 100)
    with pytest.raises(ExportError, match="shrank while it was copied"):
        write_join(plan, tmp_path / "clip.mp4")
    assert names(tmp_path) == ["source.mp4"]
