"""Pure parts of the demo: requirement resolution, camera command, HA config."""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
import sys

from aiohttp.test_utils import TestClient, TestServer
import yaml

from demo import camera, deps, ha_config, homeassistant as ha, standins
from demo.layout import Layout


def _manifest(root: Path, domain: str, **fields: object) -> None:
    (root / domain).mkdir(parents=True)
    (root / domain / "manifest.json").write_text(json.dumps(fields))


def test_resolve_follows_dependencies_not_after_dependencies(tmp_path: Path) -> None:
    _manifest(tmp_path, "camera", requirements=["a==1"], dependencies=["http"])
    _manifest(tmp_path, "http", requirements=["b==2"])
    _manifest(tmp_path, "stream", requirements=["c==3"], after_dependencies=["cloud"])
    _manifest(tmp_path, "cloud", requirements=["never==9"])

    domains, requirements = deps.resolve(["camera", "stream", "gone"], tmp_path)

    assert domains == {"camera", "http", "stream", "gone"}
    assert requirements == {"a==1", "b==2", "c==3"}


def test_plan_lists_only_what_the_venv_lacks() -> None:
    wanted = deps.plan(ha_config.CONFIGURED_DOMAINS)
    # The frontend is pinned in the venv (the panel registers with it); voice is not.
    assert any(r.startswith("hassil==") for r in wanted.missing)
    assert not any(r.startswith("home-assistant-frontend==") for r in wanted.missing)
    assert not any(r.startswith("SQLAlchemy==") for r in wanted.missing)
    assert wanted.digest == deps.plan(ha_config.CONFIGURED_DOMAINS).digest


def test_ffmpeg_argv_with_and_without_clock(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    with_clock = camera.ffmpeg_argv(
        "ffmpeg", tmp_path, camera.Overlay(font), "Front door"
    )
    plain = camera.ffmpeg_argv(
        "ffmpeg", tmp_path, camera.Overlay(None, "no font"), "Front door"
    )
    drawtext = with_clock[with_clock.index("-vf") + 1]
    assert f"fontfile={font}" in drawtext
    assert "%{gmtime}" in drawtext
    plain_filters = plain[plain.index("-vf") + 1]
    assert "drawtext" not in plain_filters
    assert plain_filters.startswith("setpts=RTCTIME")
    assert plain[-1] == str(tmp_path / camera.PLAYLIST)
    assert with_clock[with_clock.index("-g") + 1] == "30"


def test_find_font_takes_the_first_existing(tmp_path: Path) -> None:
    present = tmp_path / "b.ttf"
    present.write_bytes(b"")
    assert camera.find_font([tmp_path / "a.ttf", present]) == present
    assert camera.find_font([tmp_path / "a.ttf"]) is None


async def test_hls_server_serves_only_playlist_and_segments(
    tmp_path: Path, socket_enabled: None
) -> None:
    (tmp_path / camera.PLAYLIST).write_text("#EXTM3U\n")
    (tmp_path / "seg-000001.ts").write_bytes(b"\x47" * 188)
    (tmp_path / "notes.txt").write_text("secret")
    async with TestClient(TestServer(camera.create_app(tmp_path))) as client:
        playlist = await client.get(f"/{camera.PLAYLIST}")
        assert playlist.status == 200
        assert playlist.content_type == "application/vnd.apple.mpegurl"
        assert playlist.headers["Cache-Control"] == "no-cache"
        segment = await client.get("/seg-000001.ts")
        assert segment.content_type == "video/mp2t"
        assert len(await segment.read()) == 188
        assert (await client.get("/notes.txt")).status == 404
        assert (await client.get("/seg-000009.ts")).status == 404
    assert camera.newest_segment_age(tmp_path, now=0.0) is not None
    assert camera.newest_segment_age(tmp_path / "empty") is None


def test_config_dir_links_the_integration(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "custom_components" / ha.DOMAIN).mkdir(parents=True)
    layout = Layout(repo)

    ha_config.prepare(layout, 8123, "http://127.0.0.1:8781/index.m3u8")
    ha_config.prepare(layout, 8124, "http://127.0.0.1:8781/index.m3u8")  # idempotent

    config = yaml.safe_load((layout.ha / "configuration.yaml").read_text())
    assert "http" not in config  # read once by HA 2026.10, then a repair issue
    store = json.loads((layout.ha / ".storage" / "http").read_text())
    assert store["key"] == "http"
    assert store["data"]["pending"] is None
    assert store["data"]["yaml_migration_done"] is True
    stable = store["data"]["stable"]
    assert (stable["server_host"], stable["server_port"]) == (["127.0.0.1"], 8124)
    assert config["camera"] == [
        {
            "platform": "ffmpeg",
            "name": ha_config.CAMERA_NAME,
            "input": "http://127.0.0.1:8781/index.m3u8",
        }
    ]
    assert set(config) <= {*ha_config.CONFIGURED_DOMAINS}
    link = layout.ha / "custom_components" / ha.DOMAIN
    assert link.resolve() == (repo / "custom_components" / ha.DOMAIN).resolve()
    assert (layout.ha / "custom_components" / "__init__.py").is_file()
    assert ha_config.hass_env(layout)["PYTHONPATH"].startswith(str(layout.deps))


def test_request_pins_and_integration_states() -> None:
    states = [
        {
            "entity_id": "geo_location.burglary_wpd_1",
            "state": "0.1",
            "attributes": {"source": ha.DOMAIN, "request_id": "wpd-1"},
        },
        {"entity_id": "geo_location.quake", "state": "9", "attributes": {}},
        {
            "entity_id": "sensor.feed_pending_requests",
            "state": "1",
            "attributes": {"on_hold": False},
        },
        {
            "entity_id": "event.feed_request",
            "state": "x",
            "attributes": {"event_types": ["received", "rejected"]},
        },
    ]
    assert set(ha.request_pins(states)) == {"wpd-1"}
    found = ha.integration_states(states)
    assert found["pending"]["state"] == "1"
    assert found["event"]["entity_id"] == "event.feed_request"


def test_voice_standins_import_but_refuse_to_work(tmp_path: Path) -> None:
    written = standins.write(
        tmp_path, ["pymicro-vad==1.0.1", "pyspeex-noise==1.0.2", "other==1"]
    )
    assert written == ["pymicro_vad", "pyspeex_noise"]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pymicro_vad import MicroVad\n"
            "try:\n    MicroVad()\nexcept RuntimeError as err:\n    print(err)",
        ],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "pymicro_vad is not installed\n"
    assert standins.write(tmp_path, []) == []
    assert not list(tmp_path.glob("*.py"))
