"""The demo's REST driver against a real Home Assistant: onboarding, login, flow.

The core-config onboarding step is marked done beforehand: finishing it makes
Home Assistant start flows for weather and radio integrations whose packages the
test environment does not have. The demo itself runs that step for real.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest

import custom_components
from demo import feed, ha_config, homeassistant as ha
from demo.options_flow import configure_options
from publisher.cli import run

# See tests/integration/conftest.py: drop the editable install's path hook entry.
custom_components.__path__ = sorted(
    {p for p in custom_components.__path__ if Path(p).is_dir()}
)

OWNER = ha.Owner("Demo Owner", "demo", "correct horse battery")

type ClientFactory = Callable[..., Coroutine[Any, Any, TestClient[Any, Any]]]


@pytest.fixture
async def client(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    hass_client_no_auth: ClientFactory,
    local_auth: object,
    socket_enabled: None,
    enable_custom_integrations: None,
    tmp_path: Path,
) -> ha.HomeAssistantClient:
    hass.config.config_dir = str(tmp_path)
    hass_storage["onboarding"] = {
        "version": 4,
        "key": "onboarding",
        "data": {"done": ["core_config", "analytics"]},
    }
    for domain in (
        "http",
        "auth",
        "api",
        "websocket_api",
        "onboarding",
        "person",
        "config",
        # Everything that adds HTTP routes must be set up before the server starts.
        ha.DOMAIN,
    ):
        assert await async_setup_component(hass, domain, {})
    test_client = await hass_client_no_auth()
    base_url = str(test_client.make_url("")).rstrip("/")
    return ha.HomeAssistantClient(test_client.session, base_url)


async def test_onboarding_login_and_tokens(
    hass: HomeAssistant, client: ha.HomeAssistantClient
) -> None:
    assert await client.onboarding_pending() == ["user", "integration"]
    await client.onboard(OWNER, {})
    assert await client.onboarding_pending() == []
    await client.ws({"type": "config/core/update", "latitude": 41.6047})
    assert hass.config.latitude == 41.6047

    first = client.token
    await client.login(OWNER)
    assert client.token not in (None, first)
    token = await client.long_lived_token("test")
    assert await client.token_works(token)
    assert not await client.token_works("nonsense")

    wrong = ha.Owner("x", "demo", "wrong password")
    with pytest.raises(ha.FlowError, match="login failed"):
        await client.login(wrong)


async def test_config_flow_creates_the_entry(
    hass: HomeAssistant,
    client: ha.HomeAssistantClient,
    tmp_path: Path,
) -> None:
    await client.onboard(OWNER, {})
    served: dict[str, bytes] = {}

    async def serve_feed(request: web.Request) -> web.Response:
        return web.Response(body=served["feed"], content_type="application/json")

    app = web.Application()
    app.router.add_get("/feed.json", serve_feed)
    server = TestServer(app)
    await server.start_server()
    site = feed.Site(str(server.make_url("")).rstrip("/"))
    served["feed"] = _signed_feed(tmp_path, site)
    steps: list[str] = []
    answers: dict[str, dict[str, Any]] = {
        "user": {"url": site.feed_url},
        "insecure": {"next_step_id": "insecure_accept"},
        "lan_publisher": {"allow_lan_publisher": True},
        "trust": {"trust": True},
        "home": {
            "home": {"latitude": feed.HOME[0], "longitude": feed.HOME[1], "radius": 30},
            "cameras": [ha_config.CAMERA_ENTITY],
        },
    }

    with pytest.raises(ha.FlowError, match="no answer for step 'insecure'"):
        await client.run_config_flow({"user": answers["user"]}, steps.append)
    steps.clear()

    entry = await client.run_config_flow(answers, steps.append)

    assert entry["title"] == feed.PUBLISHER_NAME
    assert [s.split("'")[1] for s in steps] == [
        "user",
        "insecure",
        "lan_publisher",
        "trust",
        "home",
    ]
    assert [e["entry_id"] for e in await client.entries()] == [entry["entry_id"]]
    await hass.async_block_till_done()

    with pytest.raises(ha.FlowError, match="already_configured"):
        await client.run_config_flow(answers, steps.append)
    steps.clear()
    result = await configure_options(
        client,
        entry["entry_id"],
        {"allow_lan_publisher": True, "backend": "recorder", "no_such_option": 1},
        steps.append,
    )
    await hass.async_block_till_done()

    assert result.missing == {"no_such_option"}
    assert result.applied == {"allow_lan_publisher": True, "backend": "recorder"}
    # The options menu: each step once, from the menu, before Save.
    assert result.steps[:3] == ("init", "home", "camera")
    assert {"guardrails", "people_no_phones", "recording", "advanced"} <= set(
        result.steps
    )
    options = hass.config_entries.async_get_entry(entry["entry_id"]).options
    assert options["allow_lan_publisher"] is True
    assert options["camera_policies"][ha_config.CAMERA_ENTITY]["policy"] == "ask"
    assert options["cameras"] == [ha_config.CAMERA_ENTITY]

    # `scripts/demo --language de`: the home's language, set over the websocket;
    # the feed sets itself up again and its entities are named in German.
    await client.ws({"type": "config/core/update", "language": "de"})
    await hass.async_block_till_done()
    switch = next(
        state for state in hass.states.async_all("switch") if "pause" in state.entity_id
    )
    assert switch.name.endswith("Neue Anfragen pausieren")
    await server.close()


def _signed_feed(folder: Path, site: feed.Site) -> bytes:
    assert run(["keygen", "--out", str(folder / "key")]) == 0
    publisher = feed.Publisher(folder, Path("unused"))
    files = publisher.write(site, feed.initial_requests(datetime.now(UTC), site))
    argv = ["sign", "--key", str(publisher.key), "--publisher"]
    argv += [str(publisher.publisher_file), *map(str, files)]
    assert run([*argv, "--out", str(publisher.feed)]) == 0
    return publisher.feed.read_bytes()
