"""The "Video requests" panel in Debian's Chromium, as the people of a home use it.

A decider sees the open requests on a map, opens one, watches each camera's
footage of the window, shares (confirming exactly what leaves the house and for
which host) and sees the clip delivered; declines another in one tap; follows
both in the history; reads the transparency report and verifies the audit log;
links Telegram. Every view at 1280x800 and at 390x844 (a phone), and one pass in
German. A resident who may not decide gets no panel and no bytes of footage.

The stage (publisher, camera, Home Assistant) is this module's own; the feed is
linked over REST as `test_browser` does when run alone. Requests outside
127.0.0.1 (the map's tiles) are refused by the browser: tests reach no network.
Screenshots go to $E2E_SCREENSHOTS (docs/images/ for the README) or a scratch
folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import re
import secrets
import time
from typing import Any, Literal

import aiohttp
from playwright.async_api import BrowserContext, Page, Route, async_playwright, expect
import pytest

from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from demo import feed, ha_config
from demo.homeassistant import DOMAIN, HomeAssistantClient, request_pins

from .conftest import CHROMIUM, CHROMIUM_ARGS, IMAGES, UI_TIMEOUT_MS
from .test_browser import linked

PANEL = "/neighborhood-requests"
SHARE_ID = "wpd-e2e-panel-share"
DECLINE_ID = "wpd-e2e-panel-decline"
SHARE_CASE = "WPD-26-P0001"
DECLINE_CASE = "WPD-26-P0002"
WITHDRAW_ID = "wpd-e2e-panel-withdraw"
WITHDRAW_CASE = "WPD-26-P0003"
EXPIRE_ID = "wpd-e2e-panel-expire"
EXPIRE_CASE = "WPD-26-P0004"
# Long enough to publish, poll and open it; the panel's clock ticks every 15 s.
EXPIRE_AFTER_S = 90
WINDOW_S = 20
DELIVERY_TIMEOUT_S = 120
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = [pytest.param(DESKTOP, id="1280x800"), pytest.param(PHONE, id="390x844")]


def _log(line: str) -> None:
    print(line)


async def _local_only(route: Route) -> None:
    """The browser may talk to the stage, never to the internet (map tiles)."""
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


@contextlib.asynccontextmanager
async def browser(
    stage: dict[str, Any],
    profile: Path,
    *,
    viewport: dict[str, int] = DESKTOP,
    locale: str = "en-US",
    username: str | None = None,
    password: str | None = None,
    color_scheme: Literal["light", "dark"] = "light",
) -> AsyncIterator[Page]:
    """A logged-in tab of a fresh profile, in New York time like the home.

    Home Assistant's default theme follows the system's light or dark setting,
    which `color_scheme` plays.
    """
    expect.set_options(timeout=UI_TIMEOUT_MS)
    async with async_playwright() as playwright:
        context: BrowserContext = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=viewport,
            locale=locale,
            timezone_id="America/New_York",
            color_scheme=color_scheme,
        )
        context.set_default_timeout(UI_TIMEOUT_MS)
        await context.route("**/*", _local_only)
        try:
            tab = context.pages[0] if context.pages else await context.new_page()
            await tab.goto(f"{stage['ha_url']}/")
            await tab.locator("input[name=username]").fill(
                username or stage["owner_username"]
            )
            await tab.locator("input[name=password]").fill(
                password or stage["owner_password"]
            )
            await tab.locator("input[name=password]").press("Enter")
            # On a phone the sidebar is there but folded away.
            await tab.locator("ha-sidebar").wait_for(state="attached")
            yield tab
        finally:
            await context.close()


async def requests_published(stage: dict[str, Any], ha: HomeAssistantClient) -> None:
    """Two requests about recorded footage: one to share, one to decline."""
    if stage.get("panel_requests"):
        return
    entry_id = await linked(stage, ha)
    start = datetime.fromtimestamp(stage["recording_since"] + 8, UTC)
    end = start + timedelta(seconds=WINDOW_S)
    await asyncio.sleep(max(0.0, end.timestamp() + 6 - time.time()))
    site = feed.Site(stage["site"])
    documents = []
    for request_id, kind, case, offset in (
        (SHARE_ID, "package_theft", SHARE_CASE, 0.0009),
        (DECLINE_ID, "vehicle_break_in", DECLINE_CASE, -0.0012),
    ):
        incident = feed.Incident(
            request_id=request_id,
            type=kind,
            summary="A parcel was taken from a porch on Center Street."
            if kind == "package_theft"
            else "A car was broken into on Bound Line Road overnight.",
            case_number=case,
            lat=feed.HOME[0] + offset,
            lon=feed.HOME[1] - 0.0006,
            radius_m=200.0,
        )
        documents.append(
            feed.request_document(
                incident,
                site,
                issued_at=datetime.now(UTC),
                window_start=start.replace(microsecond=0),
                window_end=end.replace(microsecond=0),
            )
        )
    publisher = feed.Publisher(
        Path(stage["publisher_dir"]), Path(stage["publisher_cli"])
    )
    publisher.write(site, documents)
    _log(publisher.sign())
    await ha.call(DOMAIN, "refresh", {"config_entry_id": entry_id})
    stage["panel_requests"] = True
    stage["panel_window"] = (start.replace(microsecond=0), end.replace(microsecond=0))


async def resident(stage: dict[str, Any], ha: HomeAssistantClient) -> tuple[str, str]:
    """A household member who is not an administrator, so nobody's decider."""
    if "resident" not in stage:
        user = await ha.ws(
            {"type": "config/auth/create", "name": "Sam Resident", "group_ids": []}
        )
        password = secrets.token_urlsafe(12)
        await ha.ws(
            {
                "type": "config/auth_provider/homeassistant/create",
                "user_id": user["user"]["id"],
                "username": "sam",
                "password": password,
            }
        )
        stage["resident"] = ("sam", password)
    name, password = stage["resident"]
    return str(name), str(password)


def shot(name: str, viewport: dict[str, int]) -> Path:
    suffix = "" if viewport == DESKTOP else "-phone"
    return IMAGES / f"{name}{suffix}.png"


async def open_request(page: Page, stage: dict[str, Any], case: str) -> None:
    await page.goto(f"{stage['ha_url']}{PANEL}")
    await page.locator("a.row", has_text=case).click()
    await expect(page.get_by_text(f"case {case}").first).to_be_visible()


def luminance(css_color: str) -> float:
    """Relative luminance (0 black to 1 white) of a computed `rgb(…)` colour."""
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


async def publish_more(
    stage: dict[str, Any], ha: HomeAssistantClient, *documents: dict[str, Any]
) -> None:
    """Add or change requests in the demo publisher's feed, then poll it."""
    site = feed.Site(stage["site"])
    publisher = feed.Publisher(
        Path(stage["publisher_dir"]), Path(stage["publisher_cli"])
    )
    publisher.write(site, documents)
    _log(publisher.sign())
    entry_id = await linked(stage, ha)
    await ha.call(DOMAIN, "refresh", {"config_entry_id": entry_id})


def about_the_window(
    stage: dict[str, Any], request_id: str, case: str, *, expires_in_s: float = 0
) -> dict[str, Any]:
    """Another request about the footage the share and decline tests ask for."""
    start, end = stage["panel_window"]
    incident = feed.Incident(
        request_id=request_id,
        type="vandalism",
        summary="Mailboxes on Center Street were knocked over.",
        case_number=case,
        lat=feed.HOME[0] + 0.0005,
        lon=feed.HOME[1],
        radius_m=150.0,
    )
    now = datetime.now(UTC).replace(microsecond=0)
    document = feed.request_document(
        incident,
        feed.Site(stage["site"]),
        issued_at=now,
        window_start=start,
        window_end=end,
    )
    if expires_in_s:
        document["expires_at"] = format_timestamp(now + timedelta(seconds=expires_in_s))
    return document


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_open_requests_on_a_map(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    await requests_published(stage, ha)
    async with browser(stage, tmp_path / "profile", viewport=viewport) as page:
        await (
            page.get_by_role("link", name="Video requests")
            .or_(page.locator("ha-sidebar").get_by_text("Video requests"))
            .first.wait_for(state="attached")
        )
        await page.goto(f"{stage['ha_url']}{PANEL}")
        # The demo's own request from last night is open too.
        heading = page.get_by_role("heading", name=re.compile(r"^\d+ open requests$"))
        await expect(heading).to_be_visible()
        await expect(page.locator("a.row", has_text=SHARE_CASE)).to_be_visible()
        await expect(page.locator("a.row", has_text="Package theft")).to_be_visible()
        await expect(page.locator("a.row", has_text="Vehicle break-in")).to_be_visible()
        # The home and every open request's area are drawn, even with no tiles.
        drawn = page.locator("nr-map")
        rows = await page.locator("a.row").count()
        await expect(drawn).to_have_attribute("data-areas", str(rows))
        await expect(drawn).to_have_attribute("data-home", "1")
        # The demo camera faces the street: its view is drawn as a cone.
        await expect(drawn).to_have_attribute("data-cones", "1")
        await expect(page.locator("nr-map canvas").first).to_be_attached()
        await page.screenshot(path=shot("panel-requests", viewport))


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_request_view_tells_who_asks_and_what(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    await requests_published(stage, ha)
    async with browser(stage, tmp_path / "profile", viewport=viewport) as page:
        await open_request(page, stage, SHARE_CASE)
        await expect(page.get_by_text("Signature verified").first).to_be_visible()
        await expect(page.get_by_text(feed.PUBLISHER_NAME).first).to_be_visible()
        await expect(page.get_by_text("Law enforcement")).to_be_visible()
        await expect(page.get_by_text("SHA256:").first).to_be_visible()
        await expect(page.get_by_text("Voluntary request")).to_be_visible()
        await expect(page.get_by_text("20 seconds of video")).to_be_visible()
        await expect(
            page.get_by_text("Your home is inside the requested area")
        ).to_be_visible()
        await expect(page.get_by_text("expires in 6 days")).to_be_visible()
        # The window in the user's time zone, without seconds.
        window = page.locator("dd", has_text="20 seconds of video")
        assert "EST" in await window.inner_text() or "EDT" in await window.inner_text()
        await page.screenshot(path=shot("panel-request", viewport), full_page=True)


async def test_in_german(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    await requests_published(stage, ha)
    async with browser(stage, tmp_path / "profile", locale="de-DE") as page:
        await page.goto(f"{stage['ha_url']}{PANEL}")
        await expect(page.get_by_text("Videoanfragen").first).to_be_visible()
        await expect(page.get_by_role("tab", name="Verlauf")).to_be_visible()
        await page.locator("a.row", has_text=SHARE_CASE).click()
        await expect(page.get_by_text("Worum gebeten wird")).to_be_visible()
        await expect(page.get_by_text("Signatur geprüft").first).to_be_visible()
        await expect(page.get_by_text("Freiwillige Anfrage")).to_be_visible()
        await expect(page.get_by_text("20 Sekunden Video")).to_be_visible()
        await page.screenshot(path=IMAGES / "panel-request-de.png", full_page=True)
        await page.get_by_role("button", name="Ansehen").click()
        await expect(
            page.get_by_text("Die Aufnahmen decken das ganze Zeitfenster ab")
        ).to_be_visible()
        await page.get_by_role("button", name="Teilen …").click()
        confirm = page.locator("section.confirm")
        await expect(confirm.get_by_text("Dieses Video senden?")).to_be_visible()
        await expect(confirm.get_by_text("nicht enthalten")).to_be_visible()
        await expect(confirm.get_by_text("(20 Sekunden)")).to_be_visible()
        await page.screenshot(path=IMAGES / "panel-confirm-de.png")
        await confirm.get_by_role("button", name="Zurück").click()
        await expect(page.get_by_role("button", name="Ablehnen")).to_be_visible()
        await page.goto(f"{stage['ha_url']}{PANEL}/telegram")
        await expect(
            page.get_by_role("button", name="Meinen Code erstellen")
        ).to_be_visible()


async def test_on_a_phone_the_footage_and_the_last_screen_fit(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    """Watch and Share… at 390 px: nothing wider than the screen, nothing sent."""
    await requests_published(stage, ha)
    inbox = Path(stage["publisher_dir"]) / "inbox"
    async with browser(stage, tmp_path / "profile", viewport=PHONE) as page:
        await open_request(page, stage, SHARE_CASE)
        await page.get_by_role("button", name="Watch").click()
        video = page.locator(f"video[data-camera='{ha_config.CAMERA_ENTITY}']")
        await expect(video).to_have_attribute(
            "data-first-frame-ms", re.compile(r"^\d+$")
        )
        box = await video.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        await page.screenshot(path=IMAGES / "panel-preview-phone.png")
        await page.get_by_role("button", name="Share…").click()
        confirm = page.locator("section.confirm")
        await expect(confirm.get_by_text("Send this video?")).to_be_visible()
        box = await confirm.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
        await confirm.scroll_into_view_if_needed()
        await page.screenshot(path=IMAGES / "panel-confirm-phone.png")
        await confirm.get_by_role("button", name="Back").click()
        await expect(page.get_by_role("button", name="Decline")).to_be_visible()
    assert not list(inbox.glob(f"{SHARE_ID}/**/manifest.json"))


async def test_the_map_pin_opens_the_request_in_the_panel(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    """Home Assistant's map: the pin reads like the request and links to it."""
    await requests_published(stage, ha)
    pin = request_pins(await ha.states())[SHARE_ID]
    assert pin["attributes"]["panel_url"].startswith(stage["ha_url"])
    async with browser(stage, tmp_path / "profile") as page:
        await page.goto(f"{stage['ha_url']}/map")
        await page.locator(f"ha-entity-marker[entity-id='{pin['entity_id']}']").click()
        dialog = page.locator("ha-more-info-dialog")
        await expect(
            dialog.get_by_text(f"Package theft, case {SHARE_CASE}").first
        ).to_be_visible()
        # Home Assistant keeps an entity's attributes under ⋮ → Details.
        await dialog.get_by_role("button", name="Menu").click()
        await page.get_by_text("Details", exact=True).click()
        await expect(dialog.get_by_text("Attributes")).to_be_visible()
        # Values in words, not `voluntary`, `pending` or `false`.
        for name, value in (
            ("Legal basis", "Voluntary request"),
            ("Status", "Waiting for a decision"),
            ("Audio requested", "No"),
            ("Signature verified", "Yes"),
            ("Open in Video requests", pin["attributes"]["panel_url"]),
        ):
            item = dialog.get_by_role("listitem").filter(has_text=name)
            await expect(item.first).to_contain_text(value)
        link = dialog.get_by_role("link", name=pin["attributes"]["panel_url"])
        await link.scroll_into_view_if_needed()
        await page.screenshot(path=IMAGES / "map-pin.png")
        async with page.context.expect_page() as opened:
            await link.click()
        request_page = await opened.value
        await expect(
            request_page.get_by_text(f"case {SHARE_CASE}").first
        ).to_be_visible()
        await expect(request_page.get_by_role("button", name="Watch")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_light_and_dark_follow_home_assistants_theme(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    scheme: Literal["light", "dark"],
) -> None:
    """The panel takes Home Assistant's theme variables, and the map its tiles."""
    await requests_published(stage, ha)
    tiles: list[str] = []
    async with browser(stage, tmp_path / "profile", color_scheme=scheme) as page:
        page.on(
            "request",
            lambda request: (
                tiles.append(request.url) if "basemaps" in request.url else None
            ),
        )
        await page.goto(f"{stage['ha_url']}{PANEL}")
        row = page.locator("a.row").first
        await expect(row).to_be_visible()
        background = luminance(
            await row.evaluate("e => getComputedStyle(e).backgroundColor")
        )
        text = luminance(await row.evaluate("e => getComputedStyle(e).color"))
        assert (background < 0.25) if scheme == "dark" else (background > 0.8)
        assert (text > 0.7) if scheme == "dark" else (text < 0.3)
        assert tiles
        style = "dark_all" if scheme == "dark" else "light_all"
        assert all(style in url for url in tiles), tiles
        if scheme == "dark":  # the light one is panel-request.png
            await open_request(page, stage, SHARE_CASE)
            await page.screenshot(
                path=IMAGES / "panel-request-dark.png", full_page=True
            )


async def test_a_failed_preview_names_its_cause(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    """Last night's request asks about hours before the camera was recorded."""
    await requests_published(stage, ha)
    async with browser(stage, tmp_path / "profile") as page:
        await open_request(page, stage, feed.CAR_BREAK_INS.case_number)
        await page.get_by_role("button", name="Watch").click()
        failure = page.locator("[data-cause]")
        await expect(failure).to_have_attribute("data-cause", "no_footage")
        await expect(
            failure.get_by_text("No footage of this camera in the window")
        ).to_be_visible()
        assert await page.locator("video").count() == 0
        await page.screenshot(path=IMAGES / "panel-preview-failed.png")


async def test_a_request_that_expires_or_is_withdrawn_while_open_says_so(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    await requests_published(stage, ha)
    expiring = about_the_window(
        stage, EXPIRE_ID, EXPIRE_CASE, expires_in_s=EXPIRE_AFTER_S
    )
    withdrawn = about_the_window(stage, WITHDRAW_ID, WITHDRAW_CASE)
    # Asked about a block rather than a circle: the map draws its corners.
    lat, lon = feed.HOME
    corners = [
        [lat - 0.0008, lon - 0.0010],
        [lat + 0.0012, lon - 0.0010],
        [lat + 0.0012, lon + 0.0008],
        [lat - 0.0008, lon + 0.0008],
        [lat - 0.0008, lon - 0.0010],
    ]
    withdrawn["area"] = {"polygon": corners}
    await publish_more(stage, ha, expiring, withdrawn)
    async with browser(stage, tmp_path / "profile") as page:
        await page.goto(f"{stage['ha_url']}{PANEL}")
        await expect(page.locator("a.row", has_text=WITHDRAW_CASE)).to_be_visible()
        await expect(page.locator("nr-map")).to_have_attribute("data-polygons", "1")
        await open_request(page, stage, EXPIRE_CASE)
        await expect(page.get_by_role("button", name="Share…")).to_be_visible()
        await expect(
            page.get_by_text("This request expired before anyone decided.")
        ).to_be_visible(timeout=(EXPIRE_AFTER_S + 60) * 1000)
        await expect(page.get_by_text("There is nothing to send.")).to_be_visible()
        for offer in ("Share…", "Decline", "Watch"):
            await expect(page.get_by_role("button", name=offer)).to_have_count(0)

        await open_request(page, stage, WITHDRAW_CASE)
        await expect(page.get_by_role("button", name="Share…")).to_be_visible()
        await publish_more(stage, ha, {**withdrawn, "status": "cancelled"})
        await expect(
            page.get_by_text("The publisher withdrew this request.")
        ).to_be_visible()
        await expect(page.get_by_text("There is nothing to send.")).to_be_visible()
        for offer in ("Share…", "Decline", "Watch"):
            await expect(page.get_by_role("button", name=offer)).to_have_count(0)
        await page.screenshot(path=IMAGES / "panel-withdrawn.png")


async def test_a_resident_who_may_not_decide_sees_no_footage(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    """The attack: a logged-in household member goes for the panel and the clips."""
    await requests_published(stage, ha)
    username, password = await resident(stage, ha)
    # The decider's preview exists on the server.
    entry_id = await linked(stage, ha)
    async with aiohttp.ClientSession() as session:
        owner = HomeAssistantClient(session, stage["ha_url"])
        owner.token = stage["token"]
        preview = await owner.ws(
            {
                "type": f"{DOMAIN}/panel/preview",
                "entry_id": entry_id,
                "request_id": SHARE_ID,
                "camera": ha_config.CAMERA_ENTITY,
            }
        )
    path = preview["url"].split("?")[0]
    async with browser(
        stage, tmp_path / "profile", username=username, password=password
    ) as page:
        await expect(
            page.locator("ha-sidebar").get_by_text("Video requests")
        ).to_have_count(0)
        await page.goto(f"{stage['ha_url']}{PANEL}")
        await page.wait_for_timeout(2000)
        assert await page.locator("video").count() == 0
        assert await page.get_by_text(SHARE_CASE).count() == 0
        # The clip's address, fetched with the resident's own login: no bytes.
        status, size = await page.evaluate(
            """async (path) => {
                const auth = JSON.parse(localStorage.hassTokens || "{}");
                const headers = {Authorization: `Bearer ${auth.access_token}`};
                const r = await fetch(path, {headers});
                return [r.status, (await r.arrayBuffer()).byteLength];
            }""",
            path,
        )
        assert status in (401, 403, 404), status
        assert size < 100


async def test_decider_watches_then_shares(
    stage: dict[str, Any], ha: HomeAssistantClient, tmp_path: Path
) -> None:
    await requests_published(stage, ha)
    inbox = Path(stage["publisher_dir"]) / "inbox"
    async with browser(stage, tmp_path / "profile") as page:
        await open_request(page, stage, SHARE_CASE)
        await page.get_by_role("button", name="Watch").click()
        video = page.locator(f"video[data-camera='{ha_config.CAMERA_ENTITY}']")
        await expect(video).to_have_attribute(
            "data-first-frame-ms", re.compile(r"^\d+$")
        )
        assert await video.evaluate("v => v.readyState") >= 2
        assert await video.evaluate("v => v.duration") > WINDOW_S - 5
        await expect(
            page.get_by_text("Footage covers the whole window")
        ).to_be_visible()
        await page.screenshot(path=IMAGES / "panel-preview.png")

        # Audio is off unless turned on; Share… only opens the last screen.
        assert not await page.locator("#audio").evaluate("s => s.checked")
        await page.get_by_role("button", name="Share…").click()
        confirm = page.locator("section.confirm")
        await expect(confirm.get_by_text("Send this video?")).to_be_visible()
        await expect(confirm.get_by_text(ha_config.CAMERA_NAME)).to_be_visible()
        await expect(confirm.get_by_text("not included")).to_be_visible()
        await expect(confirm.get_by_text("127.0.0.1").first).to_be_visible()
        await expect(confirm.get_by_text("(20 seconds)")).to_be_visible()
        assert not list(inbox.glob(f"{SHARE_ID}/**/manifest.json"))
        await page.screenshot(path=IMAGES / "panel-confirm.png")
        await page.get_by_role("button", name="Send").click()
        await expect(
            page.get_by_text("Shared. Your consent is recorded")
        ).to_be_visible()
        stage["shared"] = True

        deadline = time.monotonic() + DELIVERY_TIMEOUT_S
        while not (manifests := list((inbox / SHARE_ID).rglob("manifest.json"))):
            assert time.monotonic() < deadline, f"no clip for {SHARE_ID} in {inbox}"
            await asyncio.sleep(1.0)
        manifest = json.loads(manifests[0].read_text())
        assert manifest["include_audio"] is False
        assert manifest["camera"] == ha_config.CAMERA_LABEL  # never the entity id
        await expect(page.get_by_text("Delivered")).to_be_visible(timeout=60_000)
        await expect(page.get_by_text("SHA-256").first).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_history_says_who_decided_where(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    await requests_published(stage, ha)
    if not stage.get("shared"):  # run alone: share as the browser does
        await ha.ws(
            {
                "type": f"{DOMAIN}/panel/respond",
                "entry_id": await linked(stage, ha),
                "request_id": SHARE_ID,
                "decision": "share",
            }
        )
        stage["shared"] = True
    async with browser(stage, tmp_path / "profile", viewport=viewport) as page:
        if viewport == PHONE:
            # Decline in one tap, on a phone.
            await open_request(page, stage, DECLINE_CASE)
            await page.get_by_role("button", name="Decline").click()
            await expect(page.get_by_text("Declined. Nothing was sent")).to_be_visible()
            await page.screenshot(path=IMAGES / "panel-declined-phone.png")
        await page.goto(f"{stage['ha_url']}{PANEL}/history")
        shared_row = page.locator("article", has_text=SHARE_CASE)
        await expect(
            shared_row.get_by_text("Shared by Demo Owner in the browser")
        ).to_be_visible()
        await expect(shared_row.get_by_text("SHA-256").first).to_be_visible()
        if viewport == PHONE:
            declined = page.locator("article", has_text=DECLINE_CASE)
            await expect(declined.get_by_text("Declined by Demo Owner")).to_be_visible()
        await page.screenshot(path=shot("panel-history", viewport), full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_transparency_report_and_audit_log(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    await requests_published(stage, ha)
    async with browser(stage, tmp_path / "profile", viewport=viewport) as page:
        await page.goto(f"{stage['ha_url']}{PANEL}/report")
        await expect(page.get_by_text("Transparency report")).to_be_visible()
        await expect(page.get_by_text("Median window asked for")).to_be_visible()
        await page.get_by_role("button", name="Verify the audit log").click()
        await expect(page.get_by_text("The audit log is intact")).to_be_visible()
        await page.screenshot(path=shot("panel-report", viewport), full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_link_telegram(
    stage: dict[str, Any],
    ha: HomeAssistantClient,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    await linked(stage, ha)
    name = f"Anna ({viewport['width']})"
    async with browser(stage, tmp_path / "profile", viewport=viewport) as page:
        await page.goto(f"{stage['ha_url']}{PANEL}/telegram")
        await page.get_by_role("button", name="Create my code").click()
        code = await page.locator(".code").get_attribute("data-code")
        assert code is not None
        assert len(code) == 6
        await expect(page.get_by_text(f"Send /link {code}.")).to_be_visible()
        await page.screenshot(path=shot("panel-telegram", viewport), full_page=True)
        # What the bot does when the resident sends /link CODE.
        telegram_id = str(700_000 + viewport["width"])
        await ha.ws(
            {
                "type": f"{DOMAIN}/pairing/complete",
                "code": code,
                "telegram_user_id": telegram_id,
                "name": name,
            }
        )
        linked_row = page.locator("ul.linked li", has_text=name)
        await expect(linked_row).to_be_visible(timeout=15_000)
        page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        await linked_row.get_by_role("button", name="Unlink").click()
        await expect(linked_row).to_have_count(0)
    recipients = await ha.ws({"type": f"{DOMAIN}/recipients"})
    assert telegram_id not in {r["telegram_user_id"] for r in recipients["recipients"]}
