"""The demo publisher's data: Wolcott, Connecticut, its police and one home.

Requests are plain CRF v1 JSON objects written to files and signed with the real
`neighborhood-requests-feed` command, so the demo shows what a publisher does. The
incidents are invented (a demo must not look like a real case), but they are the
kind an agency asks about, and every one is scoped as the guardrails expect: a
window in the past and under two hours, a few hundred metres, a case number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import json
from pathlib import Path
import subprocess
from typing import Any

from custom_components.neighborhood_requests.protocol.parse import (
    format_timestamp as _format_precise,
)

TOWN = "Wolcott, Connecticut"
TOWN_CENTRE = (41.6023, -72.9868)
# About 360 m north-east of the town centre: the home in the demo.
HOME = (41.6047, -72.9839)
HOME_RADIUS_M = 30.0
TIME_ZONE = "America/New_York"

PUBLISHER_ID = "wolcott-pd-demo"
PUBLISHER_NAME = "Wolcott Police Department (demo)"
CONTACT = {
    "name": "Det. Records Desk (demo)",
    "phone": "+1-203-555-0142",
    "email": "records@wolcott-pd.example",
}
EXPIRY = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Site:
    """Where the publisher serves: feed URL, upload URLs and the inbox listing."""

    base_url: str

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.json"

    @property
    def inbox_url(self) -> str:
        return f"{self.base_url}/inbox"

    def upload_url(self, request_id: str) -> str:
        return f"{self.base_url}/upload/{request_id}"


@dataclass(frozen=True, slots=True)
class Incident:
    """What happened, where, and the circle it asks about."""

    request_id: str
    type: str
    summary: str
    case_number: str
    lat: float
    lon: float
    radius_m: float


def format_timestamp(moment: datetime) -> str:
    """Whole seconds: what people write, and what clip exporters cut on."""
    return _format_precise(moment.replace(microsecond=0))


def publisher_document(site: Site) -> dict[str, Any]:
    """The feed's publisher block; `sign` adds the key."""
    return {
        "id": PUBLISHER_ID,
        "name": PUBLISHER_NAME,
        "kind": "law_enforcement",
        "url": f"{site.base_url}/",
        "keys": [],
    }


def request_document(
    incident: Incident,
    site: Site,
    *,
    issued_at: datetime,
    window_start: datetime,
    window_end: datetime,
) -> dict[str, Any]:
    """One CRF v1 request object, voluntary, video only."""
    return {
        "id": incident.request_id,
        "revision": 1,
        "status": "active",
        "issued_at": format_timestamp(issued_at),
        "expires_at": format_timestamp(issued_at + EXPIRY),
        "window": {
            "start": format_timestamp(window_start),
            "end": format_timestamp(window_end),
        },
        "area": {
            "circle": {
                "lat": incident.lat,
                "lon": incident.lon,
                "radius_m": incident.radius_m,
            }
        },
        "incident": {
            "type": incident.type,
            "summary": incident.summary,
            "case_number": incident.case_number,
            "reference_url": None,
        },
        "legal_basis": {"type": "voluntary", "reference": None},
        "requested": {"video": True, "audio": False},
        "contact": dict(CONTACT),
        "response": {"upload_url": site.upload_url(incident.request_id)},
    }


# Last night, around the corner from the home: the home's area matches.
CAR_BREAK_INS = Incident(
    request_id="wpd-demo-0412",
    type="burglary",
    summary=(
        "Three unlocked cars entered overnight on streets off Center Street; "
        "looking for anyone on foot between the houses."
    ),
    case_number="WPD-26-004127",
    lat=41.6038,
    lon=-72.9847,
    radius_m=300.0,
)
# Across town on Route 69: outside the home's area, so never shown to it.
HIT_AND_RUN = Incident(
    request_id="wpd-demo-0415",
    type="hit_and_run",
    summary=(
        "A grey pickup struck a parked car on Wolcott Road (Route 69) south of "
        "the town centre and drove off towards Waterbury."
    ),
    case_number="WPD-26-004151",
    lat=41.5801,
    lon=-73.0040,
    radius_m=250.0,
)


def initial_requests(now: datetime, site: Site) -> list[dict[str, Any]]:
    """Two requests about last night; one concerns the demo home, one does not."""
    return [
        request_document(
            CAR_BREAK_INS,
            site,
            issued_at=now - timedelta(hours=6),
            window_start=now - timedelta(hours=20),
            window_end=now - timedelta(hours=18, minutes=30),
        ),
        request_document(
            HIT_AND_RUN,
            site,
            issued_at=now - timedelta(hours=3),
            window_start=now - timedelta(hours=9),
            window_end=now - timedelta(hours=8, minutes=15),
        ),
    ]


# Who asks about the demo camera's own footage: near the home, a few minutes ago.
PORCH_THEFT = (
    "package_theft",
    "A parcel was taken from a porch on Center Street a few minutes ago; "
    "looking for a person walking north past the houses.",
)
MAILBOX = (
    "vandalism",
    "Mailboxes on Center Street were knocked over a few minutes ago; looking "
    "for a car driving slowly past the houses.",
)


def footage_request(
    now: datetime,
    window_start: datetime,
    window_end: datetime,
    site: Site,
    *,
    kind: tuple[str, str] = PORCH_THEFT,
    suffix: str = "",
) -> dict[str, Any]:
    """A request about [window_start, window_end], the demo camera's recent past.

    The caller picks a window inside what the home recorded and ending a little
    before `now`, because a home only acts on windows entirely in the past.
    """
    incident = Incident(
        request_id=f"wpd-demo-{now:%m%d-%H%M%S}{suffix}",
        type=kind[0],
        summary=kind[1],
        case_number=f"WPD-26-{now:%m%d%H%M}{suffix.upper()}",
        lat=HOME[0] + 0.0009,
        lon=HOME[1] - 0.0006,
        radius_m=200.0,
    )
    return request_document(
        incident, site, issued_at=now, window_start=window_start, window_end=window_end
    )


def write_json(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True, slots=True)
class Publisher:
    """The publisher's folder and the CLI that keys, signs and serves it."""

    folder: Path
    cli: Path

    @property
    def key_dir(self) -> Path:
        return self.folder / "key"

    @property
    def key(self) -> Path:
        return self.key_dir / "publisher.key"

    @property
    def publisher_file(self) -> Path:
        return self.folder / "publisher.json"

    @property
    def requests_dir(self) -> Path:
        return self.folder / "requests"

    @property
    def feed(self) -> Path:
        return self.folder / "feed.json"

    @property
    def inbox(self) -> Path:
        return self.folder / "inbox"

    def keygen(self) -> str:
        """Create the signing key once; a home pins it, so later runs keep it."""
        if not self.key.exists():
            self._run("keygen", "--out", str(self.key_dir))
        jwk = json.loads((self.key_dir / "publisher.jwk.json").read_text("utf-8"))
        return str(jwk["kid"])

    def write(self, site: Site, requests: Sequence[dict[str, Any]]) -> list[Path]:
        """Write the publisher file and one file per request; return the files."""
        write_json(self.publisher_file, publisher_document(site))
        paths = []
        for request in requests:
            path = self.requests_dir / f"{request['id']}.json"
            write_json(path, request)
            paths.append(path)
        return paths

    def sign(self) -> str:
        """Sign every request file into the feed, revisions counted from the last."""
        files = sorted(self.requests_dir.glob("*.json"))
        args = ["sign", "--key", str(self.key), "--publisher", str(self.publisher_file)]
        args += [str(path) for path in files]
        args += ["--out", str(self.feed)]
        if self.feed.exists():
            args += ["--previous", str(self.feed)]
        return self._run(*args)

    def serve_argv(self, port: int) -> list[str]:
        return [
            str(self.cli),
            "serve",
            "--feed",
            str(self.feed),
            "--inbox",
            str(self.inbox),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--allow-loopback-upload",
        ]

    def _run(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - the publisher CLI of .venv
            [str(self.cli), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"neighborhood-requests-feed {args[0]} failed: "
                f"{done.stderr.strip() or done.stdout.strip()}"
            )
        return done.stdout.strip()
