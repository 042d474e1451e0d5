"""The actionable-notification blueprint, run by Home Assistant's own automation.

The blueprint file is loaded through the `blueprint` integration and used by a
real `automation` (`use_blueprint`). A request arrives from the feed server; the
phone is the one stand-in (its notify service records what it is sent, as the
Companion app would show it); each tap is the `mobile_app_notification_action`
event the app fires, carrying the phone owner's user as `mobile_app` does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
import shutil
from typing import Any
from urllib.parse import parse_qs, urlsplit

from homeassistant.auth.models import User
from homeassistant.components.blueprint import importer
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.neighborhood_requests.const import DOMAIN
from tests.protocol.factories import make_feed

from .conftest import FeedServer, add_entry, entity_id, request_now
from .test_share_handoff import DiskExporter, ListOutbox

REPO = Path(__file__).parents[2]
BLUEPRINT = "neighborhood_requests/actionable_notification.yaml"
SOURCE = REPO / "blueprints" / "automation" / BLUEPRINT
REQUEST_ID = "wpd-2026-0412"
ACTION_EVENT = "mobile_app_notification_action"
WAIT = 30.0  # a generous bound for a slow machine; nothing asserts speed

pytestmark = pytest.mark.usefixtures("home")


class Phone:
    """What the Companion app on one phone was sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()

    async def notify(self, call: ServiceCall) -> None:
        async with self._arrived:
            self.sent.append(dict(call.data))
            self._arrived.notify_all()

    async def until(self, done: Callable[[], bool]) -> None:
        """Let the automation run until the phone got what `done` expects.

        `async_block_till_done` would wait for the automation too, and it waits
        for a tap (up to the request's expiry) by design. WAIT only bounds a
        failure.
        """
        async with asyncio.timeout(WAIT), self._arrived:
            await self._arrived.wait_for(done)

    def buttons(self) -> dict[str, str]:
        """The last notification's buttons, by their title."""
        actions = self.sent[-1]["data"]["actions"]
        return {a["title"]: a["action"] for a in actions}


@pytest.fixture
async def phone(hass: HomeAssistant) -> tuple[Phone, str]:
    """A phone registered with mobile_app, and its notify service.

    `mobile_app` itself cannot load here (it needs `cloud` and voice packages);
    its registration entry and device are made as it makes them, and the notify
    service it would register (`notify.mobile_app_<device name>`) records calls.
    """
    registration = MockConfigEntry(domain="mobile_app", title="Pixel 8")
    registration.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=registration.entry_id,
        identifiers={("mobile_app", "pixel-8-id")},
        manufacturer="Google",
        model="Pixel 8",
        name="Pixel 8",
    )
    handset = Phone()
    hass.services.async_register("notify", "mobile_app_pixel_8", handset.notify)
    return handset, device.id


@pytest.fixture
async def feed_entry(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> ConfigEntry:
    """A feed with no request yet, one camera, and a recording exporter."""
    hass.states.async_set("camera.porch", "idle", {"friendly_name": "Porch"})
    feed_server.serve(make_feed([]))
    return await add_entry(hass, feed_server.url, cameras=["camera.porch"])


@pytest.fixture
async def automation(
    hass: HomeAssistant, feed_entry: ConfigEntry, phone: tuple[Phone, str]
) -> None:
    """The blueprint, copied where Home Assistant keeps blueprints, in use."""
    target = Path(hass.config.path("blueprints", "automation", BLUEPRINT))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, target)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "video_request_on_phone",
                "alias": "Video request on a phone",
                "use_blueprint": {
                    "path": BLUEPRINT,
                    "input": {
                        "request_events": entity_id(hass, "event"),
                        "phone": phone[1],
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.video_request_on_a_phone")
    assert state is not None
    assert state.state == "on"


async def arrive(
    hass: HomeAssistant, entry: ConfigEntry, server: FeedServer, handset: Phone
) -> None:
    """The publisher adds the request; the next poll receives it; the phone rings."""
    server.serve(make_feed([request_now()]))
    await entry.runtime_data.coordinator.async_refresh()
    await handset.until(lambda: bool(handset.sent))


async def tap(
    hass: HomeAssistant, action: str, user: User, handset: Phone | None = None
) -> Context:
    """The Companion app reporting a tap, as its owner (as mobile_app does).

    With `handset`, wait for the automation's answer on the phone.
    """
    sent = len(handset.sent) if handset is not None else 0
    context = Context(user_id=user.id)
    hass.bus.async_fire(ACTION_EVENT, {"action": action}, context=context)
    if handset is not None:
        await handset.until(lambda: len(handset.sent) > sent)
    return context


def state_of(entry: ConfigEntry) -> Any:
    return next(iter(entry.runtime_data.coordinator.store))


@pytest.mark.usefixtures("automation")
async def test_share_asks_again_then_decides_as_the_person_who_tapped(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    phone: tuple[Phone, str],
    hass_admin_user: User,
) -> None:
    handset = phone[0]
    exporter, outbox = DiskExporter(Path(hass.config.config_dir)), ListOutbox()
    feed_entry.runtime_data.exporter = exporter
    feed_entry.runtime_data.outbox = outbox
    await arrive(hass, feed_entry, feed_server, handset)

    [first] = handset.sent
    assert first["title"] == "Video request from Wolcott Police Department"
    assert first["message"].startswith("Burglary: Break-in on Elm Street")
    assert "24-1187" in first["message"]
    assert list(handset.buttons()) == ["Share…", "Decline"]
    share = handset.buttons()["Share…"]
    assert REQUEST_ID in share.split(":")

    await tap(hass, share, hass_admin_user, handset)
    assert state_of(feed_entry).state == "pending"  # Share alone never shares
    second = handset.sent[-1]
    # The second notification names the cameras, the window and the audio.
    assert "Porch" in second["message"]
    assert "without audio" in second["message"]
    record = state_of(feed_entry)
    texts_window = record.request.window
    assert texts_window.start < texts_window.end
    assert list(handset.buttons()) == ["Confirm sharing", "Decline"]
    assert exporter.calls == []

    await tap(hass, handset.buttons()["Confirm sharing"], hass_admin_user, handset)
    record = state_of(feed_entry)
    assert record.state == "shared"
    assert record.decision.user_id == hass_admin_user.id
    # The panel's history says where: on a phone, not "through an action".
    assert record.decision.channel == "phone"
    assert record.decision.cameras == ("camera.porch",)
    assert record.decision.include_audio is False
    assert exporter.calls == [("camera.porch", False, False)]
    assert handset.sent[-1] == {
        "message": "clear_notification",
        "data": {"tag": f"neighborhood_requests_{feed_entry.entry_id}_{REQUEST_ID}"},
    }


@pytest.mark.usefixtures("automation")
async def test_decline_sends_nothing(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    phone: tuple[Phone, str],
    hass_admin_user: User,
) -> None:
    handset = phone[0]
    await arrive(hass, feed_entry, feed_server, handset)
    await tap(hass, handset.buttons()["Decline"], hass_admin_user, handset)
    record = state_of(feed_entry)
    assert record.state == "declined"
    assert record.decision.user_id == hass_admin_user.id
    assert handset.sent[-1]["message"] == "clear_notification"


@pytest.mark.usefixtures("automation")
async def test_a_tap_by_someone_who_may_not_decide_decides_nothing(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    phone: tuple[Phone, str],
    hass_read_only_user: User,
) -> None:
    """The automation runs as nobody; the tap lends only its owner's rights."""
    handset = phone[0]
    await arrive(hass, feed_entry, feed_server, handset)
    await tap(hass, handset.buttons()["Share…"], hass_read_only_user, handset)
    await tap(hass, handset.buttons()["Confirm sharing"], hass_read_only_user, handset)
    assert state_of(feed_entry).state == "pending"
    refused = handset.sent[-1]
    assert refused["message"].startswith("Nothing was decided on request 24-1187")


@pytest.mark.usefixtures("automation")
async def test_a_decision_made_elsewhere_clears_the_phone(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    phone: tuple[Phone, str],
    hass_admin_user: User,
) -> None:
    handset = phone[0]
    await arrive(hass, feed_entry, feed_server, handset)
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": feed_entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "decline",
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await handset.until(lambda: handset.sent[-1]["message"] == "clear_notification")


@pytest.mark.usefixtures("automation")
async def test_a_tap_lends_only_what_it_says(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    phone: tuple[Phone, str],
    hass_admin_user: User,
) -> None:
    """Someone else's tap, a tap about something else, an unseen or spent tap."""
    resident = await hass.auth.async_create_user("Resident")
    await arrive(hass, feed_entry, feed_server, phone[0])

    async def respond_with(tap_id: str, user: User | None) -> None:
        await hass.services.async_call(
            DOMAIN,
            "respond",
            {
                "config_entry_id": feed_entry.entry_id,
                "request_id": REQUEST_ID,
                "decision": "decline",
                "tap_context_id": tap_id,
            },
            blocking=True,
            context=Context(user_id=user.id if user else None),
        )

    admins_tap = await tap(hass, f"SOMETHING:{REQUEST_ID}:DECLINE", hass_admin_user)
    with pytest.raises(ServiceValidationError) as err:
        await respond_with(admins_tap.id, resident)
    assert err.value.translation_key == "tap_not_yours"
    other = await tap(hass, "LIGHTS:OFF", hass_admin_user)
    with pytest.raises(ServiceValidationError) as err:
        await respond_with(other.id, None)
    assert err.value.translation_key == "tap_other_request"
    with pytest.raises(ServiceValidationError) as err:
        await respond_with("01JNOTATAPIDATALL0000000000", None)
    assert err.value.translation_key == "unknown_tap"
    assert state_of(feed_entry).state == "pending"

    await respond_with(admins_tap.id, None)
    assert state_of(feed_entry).state == "declined"
    with pytest.raises(ServiceValidationError) as err:
        await respond_with(admins_tap.id, None)  # a tap decides once
    assert err.value.translation_key == "unknown_tap"


async def test_describe_request_tells_only_those_who_may_see_requests(
    hass: HomeAssistant,
    feed_entry: ConfigEntry,
    feed_server: FeedServer,
    hass_admin_user: User,
) -> None:
    """An automation and a decider read it; a resident gets the access refusal."""
    feed_server.serve(make_feed([request_now()]))
    await feed_entry.runtime_data.coordinator.async_refresh()
    call = {"config_entry_id": feed_entry.entry_id, "request_id": REQUEST_ID}
    for user in (None, hass_admin_user):
        words = await hass.services.async_call(
            DOMAIN,
            "describe_request",
            call,
            blocking=True,
            return_response=True,
            context=Context(user_id=user.id if user else None),
        )
        assert words["incident"] == "Burglary"
        assert words["cameras"] == "Porch"
        assert words["audio"] == "not included"
        assert words["expires_in"] > 6 * 86400
    resident = await hass.auth.async_create_user("Resident")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "describe_request",
            call,
            blocking=True,
            return_response=True,
            context=Context(user_id=resident.id),
        )
    assert err.value.translation_key == "not_allowed_view"


def test_the_readme_imports_this_file_from_github() -> None:
    """The README's My Home Assistant link names this file's raw GitHub URL."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [link] = [
        part.split(")")[0]
        for part in readme.split("](")
        if part.startswith("https://my.home-assistant.io/redirect/blueprint_import/")
    ]
    [url] = parse_qs(urlsplit(link).query)["blueprint_url"]
    assert url.startswith("https://raw.githubusercontent.com/")
    assert url.endswith("/blueprints/automation/" + BLUEPRINT)
    blueprint = yaml.safe_load(SOURCE.read_text(encoding="utf-8").replace("!input", ""))
    source_url = blueprint["blueprint"]["source_url"]
    # Home Assistant's importer turns the blueprint's own source into the same file.
    assert importer._get_github_import_url(source_url) == url
