"""The Frigate stand-in answers only what Frigate's OpenAPI document defines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jsonschema
import pytest

from .frigate_standin import SPEC, FrigateStandIn

CLIP = "/api/yard/start/1700000000/end/1700000010/clip.mp4"


def error_shape(body: Any) -> None:
    """Validate a 422 body against the document's HTTPValidationError schema."""
    jsonschema.validate(
        body,
        {"$ref": "#/components/schemas/HTTPValidationError", **SPEC},
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def test_the_routes_are_the_documents_operations() -> None:
    async with FrigateStandIn() as frigate:
        assert frigate.url.startswith("http://127.0.0.1:")
    assert sorted(SPEC["paths"]) == [
        "/login",
        "/{camera_name}/start/{start_ts}/end/{end_ts}/clip.mp4",
    ]


async def test_an_undocumented_path_is_404_and_a_violation(
    session: aiohttp.ClientSession,
) -> None:
    """A client asking for a route Frigate does not have (here, a guessed export
    path without its `POST`) gets FastAPI's answers, and the test hears of it."""
    async with FrigateStandIn() as frigate:
        async with session.get(f"{frigate.url}/api/yard/recordings") as response:
            assert response.status == 404
            assert await response.json() == {"detail": "Not Found"}
        async with session.get(f"{frigate.url}/api/login") as response:
            assert response.status == 405
            assert await response.json() == {"detail": "Method Not Allowed"}
        assert frigate.take_violations() == [
            "GET /api/yard/recordings: not in the document",
            "GET /api/login: not in the document",
        ]


@pytest.mark.parametrize("bad", ["noon", "1700000000s", ""])
async def test_a_window_that_is_not_a_number_is_422(
    session: aiohttp.ClientSession, bad: str
) -> None:
    async with FrigateStandIn() as frigate:
        url = f"{frigate.url}/api/yard/start/{bad}/end/1700000010/clip.mp4"
        async with session.get(url) as response:
            status, body = response.status, await response.json(content_type=None)
        if bad == "":
            # An empty segment does not match the route at all.
            assert status == 404
        else:
            assert status == 422
            error_shape(body)
            assert body["detail"][0]["loc"] == ["path", "start_ts"]
        assert len(frigate.take_violations()) == 1


async def test_fractional_seconds_fit_the_number_schema(
    session: aiohttp.ClientSession,
) -> None:
    async with FrigateStandIn() as frigate:
        url = f"{frigate.url}/api/yard/start/1700000000.5/end/1.7e9/clip.mp4"
        async with session.get(url) as response:
            assert response.status == 400  # valid, but no recordings there
            assert (await response.json())["message"] == "No recordings found"


async def test_an_undocumented_query_parameter_is_a_violation(
    session: aiohttp.ClientSession,
) -> None:
    async with FrigateStandIn() as frigate:
        async with session.get(f"{frigate.url}{CLIP}?padding=5") as response:
            assert response.status == 400  # FastAPI ignores it; so does the stand-in
        assert frigate.take_violations() == [
            f"GET {CLIP}: undocumented query 'padding'"
        ]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"user": "admin"}, ["body", "password"]),
        ({"password": "x"}, ["body", "user"]),
        ({"user": 1, "password": "x"}, ["body", "user"]),
        (["admin", "x"], ["body"]),
    ],
)
async def test_a_login_body_off_the_schema_is_422(
    session: aiohttp.ClientSession, body: Any, loc: list[str]
) -> None:
    async with FrigateStandIn(credentials=("admin", "x")) as frigate:
        async with session.post(f"{frigate.url}/api/login", json=body) as response:
            assert response.status == 422
            answer = await response.json()
        error_shape(answer)
        assert answer["detail"][0]["loc"] == loc
        assert len(frigate.take_violations()) == 1


async def test_the_clip_needs_the_documents_security_scheme(
    session: aiohttp.ClientSession,
) -> None:
    """Without the `frigate_token` the document requires, no bytes of video."""
    async with FrigateStandIn(credentials=("admin", "x")) as frigate:
        async with session.get(f"{frigate.url}{CLIP}") as response:
            assert response.status == 401
            assert await response.read() == b"Unauthorized"
        login = {"user": "admin", "password": "x"}
        async with session.post(f"{frigate.url}/api/login", json=login) as response:
            assert response.status == 200
            token = response.cookies["frigate_token"].value
        async with session.get(
            f"{frigate.url}{CLIP}", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            assert response.status == 400  # authorised; no recordings for "yard"
