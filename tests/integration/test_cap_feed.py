"""A CAP 1.2 feed goes through the same flow as an unsigned CRF feed."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.neighborhood_requests.protocol.parse import format_timestamp

from .conftest import SESSION_NOW, FeedServer, submit_feed_url

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"


def cap_alert(
    *, document: bool = True, upload_url: str = "https://feeds.example.org/upload"
) -> bytes:
    def ts(delta: timedelta) -> str:
        return format_timestamp(SESSION_NOW + delta)

    params = {
        "window_start": ts(timedelta(hours=-2)),
        "window_end": ts(timedelta(hours=-1, minutes=-30)),
        "case_number": "24-1187",
        "upload_url": upload_url,
    }
    parameters = "".join(
        f"<parameter><valueName>{k}</valueName><value>{v}</value></parameter>"
        for k, v in params.items()
    )
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n' if document else ""
    return (
        f'{prolog}<alert xmlns="{CAP_NS}">'
        "<identifier>WPD-2026-0412</identifier>"
        "<sender>dispatch@wolcott-pd.example.org</sender>"
        f"<sent>{ts(timedelta(hours=-1))}</sent>"
        "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"
        "<info><language>en-US</language><category>Security</category>"
        "<event>Burglary</event><urgency>Past</urgency><severity>Minor</severity>"
        f"<certainty>Observed</certainty><expires>{ts(timedelta(days=7))}</expires>"
        "<headline>Break-in on Elm Street</headline>"
        "<description>Looking for a person on foot.</description>"
        f"{parameters}"
        "<area><areaDesc>Elm Street</areaDesc><circle>41.6,-73.0 0.3</circle></area>"
        "</info></alert>"
    ).encode()


async def add_cap_entry(hass: HomeAssistant, feed_server: FeedServer) -> ConfigEntry:
    result = await submit_feed_url(hass, feed_server.url)
    assert result["step_id"] == "trust_unsigned"
    # Escaped: the trust screen's description is Markdown.
    assert result["description_placeholders"]["publisher"] == "127\\.0\\.0\\.1"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"allow_unverified": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"home": {"latitude": 41.6, "longitude": -73.0}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    assert isinstance(entry, ConfigEntry)
    return entry


async def test_cap_feed_is_an_unsigned_feed(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    feed_server.body = cap_alert()
    feed_server.content_type = "application/xml"
    entry = await add_cap_entry(hass, feed_server)
    store = entry.runtime_data.coordinator.store
    [record] = list(store)
    assert record.request is not None
    assert record.verified is False
    assert record.request.incident.case_number == "24-1187"
    # The upload host is not the feed's host, so the home's guardrails refuse it.
    assert record.state == "rejected"
    assert any("upload" in problem.path for problem in record.reasons)


WEATHER = (
    f'<alert xmlns="{CAP_NS}"><identifier>NWS-1</identifier>'
    "<sender>w@nws.example.org</sender><sent>2026-11-20T15:00:00Z</sent>"
    "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"
    "<info><category>Met</category><event>Tornado Warning</event>"
    "<eventCode><valueName>SAME</valueName><value>TOR</value></eventCode>"
    "<headline>Tornado</headline>"
    "<area><areaDesc>x</areaDesc><circle>41.6,-73.0 5</circle></area></info></alert>"
)
OLD_CAP = WEATHER.replace(CAP_NS, "urn:oasis:names:tc:emergency:cap:1.1")


def atom(*alerts: str) -> bytes:
    entries = "".join(
        f"<entry><id>urn:{i}</id><title>t</title><updated>2026-11-20T15:00:00Z"
        f'</updated><content type="text/xml">{alert}</content></entry>'
        for i, alert in enumerate(alerts)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:feed</id><title>x'
        f"</title><updated>2026-11-20T15:00:00Z</updated>{entries}</feed>"
    ).encode()


async def test_a_request_among_other_alerts_reaches_the_home(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    """A weather alert and a CAP 1.1 alert beside it are counted, not fatal."""
    request = cap_alert(document=False).decode()
    feed_server.body = atom(WEATHER, request, OLD_CAP)
    feed_server.content_type = "application/atom+xml"

    entry = await add_cap_entry(hass, feed_server)

    coordinator = entry.runtime_data.coordinator
    assert [r.request_id for r in coordinator.store] == ["WPD-2026-0412"]
    counts = coordinator.rejections.report("127.0.0.1")
    assert counts["skipped"] == 2
    assert counts["skipped_reasons"] == {
        "event code SAME=TOR is not a video request": 1,
        "CAP 1.1 alert; only CAP 1.2 alerts can be requests": 1,
    }
