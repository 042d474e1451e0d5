"""A CAP 1.2 feed goes through the same flow as an unsigned CRF feed."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.neighborhood_requests.protocol.parse import format_timestamp

from .conftest import SESSION_NOW, FeedServer, submit_feed_url

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"


def cap_alert() -> bytes:
    def ts(delta: timedelta) -> str:
        return format_timestamp(SESSION_NOW + delta)

    params = {
        "window_start": ts(timedelta(hours=-2)),
        "window_end": ts(timedelta(hours=-1, minutes=-30)),
        "case_number": "24-1187",
        "upload_url": "https://feeds.example.org/upload",
    }
    parameters = "".join(
        f"<parameter><valueName>{k}</valueName><value>{v}</value></parameter>"
        for k, v in params.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="{CAP_NS}">'
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


async def test_cap_feed_is_an_unsigned_feed(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    feed_server.body = cap_alert()
    feed_server.content_type = "application/xml"
    result = await submit_feed_url(hass, feed_server.url)
    assert result["step_id"] == "trust_unsigned"
    assert result["description_placeholders"]["publisher"] == "127.0.0.1"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"allow_unverified": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"home": {"latitude": 41.6, "longitude": -73.0}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    store = result["result"].runtime_data.coordinator.store
    [record] = list(store)
    assert record.request is not None
    assert record.verified is False
    assert record.request.incident.case_number == "24-1187"
    # The upload host is not the feed's host, so the home's guardrails refuse it.
    assert record.state == "rejected"
    assert any("upload" in problem.path for problem in record.reasons)
