"""The bot when the network fails: plain words, one line per try, no traceback.

Real sockets throughout: a port nobody listens on, a plain HTTP server spoken to
with TLS, a TLS server with a self-signed certificate, a resolver that fails (the
event loop's `getaddrinfo`, which both aiohttp's system resolver and httpx use, so
no DNS query leaves the machine), and the Bot API stand-in answering 401.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
import logging
import os
from pathlib import Path
import signal
import socket
import ssl
import subprocess
import sys
from typing import Any

from aiohttp import web
from aiohttp.test_utils import unused_port
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
import pytest

from bot.app import BotApp
from bot.check import check_home_assistant, check_telegram
from bot.config import BotConfig
from bot.ha_client import Backoff
from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.conftest import TELEGRAM_TOKEN

pytestmark = pytest.mark.timeout(60)

FAST = Backoff(initial_s=0.05, maximum_s=0.2, factor=2.0, jitter=0.0)
REPO = Path(__file__).resolve().parents[2]
UNRESOLVABLE = {"homeassistant.invalid", "api.telegram.invalid"}


def config(ha_url: str, telegram_url: str, tmp_path: Path, **changes: Any) -> BotConfig:
    values: dict[str, Any] = {
        "telegram_token": TELEGRAM_TOKEN,
        "ha_url": ha_url,
        "ha_token": "token",
        "telegram_api_base_url": telegram_url,
        "state_file": tmp_path / "state.json",
    }
    return BotConfig(**(values | changes))


@pytest.fixture
async def failing_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names in UNRESOLVABLE fail to resolve, as a DNS server would answer.

    aiohttp's ThreadedResolver and anyio (under httpx) both ask the running loop's
    getaddrinfo; the patch answers before any query could leave the machine.
    """
    loop = asyncio.get_running_loop()
    original = loop.getaddrinfo

    async def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name in UNRESOLVABLE:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return await original(host, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)


@pytest.fixture
async def plain_server(socket_enabled: None) -> AsyncIterator[int]:
    """An HTTP (not HTTPS) server on 127.0.0.1; its port."""

    async def plain(_: web.Request) -> web.Response:
        return web.Response(text="plain")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", plain)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield runner.addresses[0][1]
    await runner.cleanup()


@pytest.fixture
async def self_signed_server(
    socket_enabled: None, tmp_path: Path
) -> AsyncIterator[int]:
    """An HTTPS server on 127.0.0.1 whose certificate nobody signed; its port."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)

    async def tls(_: web.Request) -> web.Response:
        return web.Response(text="tls")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", tls)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    yield runner.addresses[0][1]
    await runner.cleanup()


# -- --check, both sides ------------------------------------------------------------


async def both(cfg: BotConfig) -> tuple[str, str]:
    [ha] = await check_home_assistant(cfg)
    [telegram] = await check_telegram(cfg)
    assert not ha.ok
    assert not telegram.ok
    return ha.text, telegram.text


async def test_check_explains_a_dns_failure(
    socket_enabled: None, failing_resolver: None, tmp_path: Path
) -> None:
    ha, telegram = await both(
        config(
            "http://homeassistant.invalid:8123",
            "https://api.telegram.invalid/bot",
            tmp_path,
        )
    )
    assert ha == (
        "cannot reach Home Assistant at http://homeassistant.invalid:8123: the name "
        "'homeassistant.invalid' could not be resolved (DNS: Name or service not "
        "known); check the address and this machine's DNS"
    )
    assert telegram == (
        "cannot reach the Telegram Bot API at https://api.telegram.invalid/bot: the "
        "name 'api.telegram.invalid' could not be resolved (DNS: Name or service "
        "not known); check the address and this machine's DNS"
    )


async def test_check_explains_a_refused_connection(
    socket_enabled: None, tmp_path: Path
) -> None:
    port = unused_port()
    ha, telegram = await both(
        config(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/bot", tmp_path)
    )
    refused = (
        f"connection refused by 127.0.0.1:{port}: nothing listens there (is it "
        "running, and is the port right?)"
    )
    assert ha == f"cannot reach Home Assistant at http://127.0.0.1:{port}: {refused}"
    assert telegram == (
        f"cannot reach the Telegram Bot API at http://127.0.0.1:{port}/bot: {refused}"
    )


async def test_check_explains_tls_spoken_to_a_plain_server(
    plain_server: int, tmp_path: Path
) -> None:
    """https:// to a server that speaks HTTP: the handshake fails, and the line
    says to use http://."""
    url = f"https://127.0.0.1:{plain_server}"
    ha, telegram = await both(config(url, f"{url}/bot", tmp_path))
    for line in (ha, telegram):
        assert f"the TLS handshake with 127.0.0.1:{plain_server} failed (" in line
        assert line.endswith(
            "if that server speaks plain HTTP, use http:// instead of https://"
        )
    assert ha.startswith(f"cannot reach Home Assistant at {url}: ")
    assert telegram.startswith(f"cannot reach the Telegram Bot API at {url}/bot: ")


async def test_check_explains_an_untrusted_certificate(
    self_signed_server: int, tmp_path: Path
) -> None:
    url = f"https://127.0.0.1:{self_signed_server}"
    ha, telegram = await both(config(url, f"{url}/bot", tmp_path))
    for line in (ha, telegram):
        assert (
            f"the TLS certificate of 127.0.0.1:{self_signed_server} was not accepted "
            "(self-signed certificate)"
        ) in line
        assert line.endswith("or its certificate is self-signed or expired")


async def test_check_explains_a_wrong_telegram_token(
    botapi: BotApiStandIn, tmp_path: Path
) -> None:
    wrong = "987654321:ZZZhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"
    cfg = config("http://unused", botapi.base_url, tmp_path, telegram_token=wrong)
    [finding] = await check_telegram(cfg)
    assert botapi.calls_to("getMe")[0].status == 401
    assert finding.text == (
        "Telegram rejected the bot token 987654321:… (35 chars hidden): copy it "
        "again from @BotFather (TELEGRAM_BOT_TOKEN)"
    )
    assert wrong not in finding.text


# -- the running bot ----------------------------------------------------------------


def lines(caplog: pytest.LogCaptureFixture, start: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(start)]


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    noisy = [r for r in caplog.records if r.exc_info or r.stack_info]
    assert noisy == [], [r.getMessage() for r in noisy]


async def wait_for(condition: Callable[[], bool]) -> None:
    while not condition():  # noqa: ASYNC110 - polling log records, bounded by timeout
        await asyncio.sleep(0.02)


async def test_telegram_unreachable_at_start_then_back(
    socket_enabled: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram down when the bot starts: one line per try with the next retry,
    growing delays, no traceback; when it comes back the bot starts polling."""
    caplog.set_level(logging.INFO)
    port = unused_port()
    telegram = f"http://127.0.0.1:{port}/bot"
    app = BotApp(
        config(f"http://127.0.0.1:{unused_port()}", telegram, tmp_path), backoff=FAST
    )
    stop = asyncio.Event()
    run = asyncio.create_task(app.run_until(stop))
    prefix = f"cannot reach Telegram at {telegram}: connection refused by 127.0.0.1"
    await wait_for(lambda: len(lines(caplog, prefix)) >= 3)
    tries = lines(caplog, prefix)
    assert [t.rsplit("retrying in ", 1)[1] for t in tries[:3]] == [
        "0.1 s",
        "0.1 s",
        "0.2 s",
    ]  # 0.05, 0.1, 0.2 s rounded: exponential, capped at 0.2

    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"})
    await standin.start(port)
    try:
        await standin.wait_for_poller()
        assert lines(caplog, f"Telegram at {telegram} is reachable again")
        assert standin.calls_to("setMyCommands")
        # Home Assistant is down too; its client says so the same way.
        await wait_for(lambda: bool(lines(caplog, "cannot reach Home Assistant at")))
        stop.set()
        assert await run == 0
    finally:
        await app.stop()
        await standin.close()
    assert standin.violations == []
    no_traceback(caplog)


async def test_telegram_lost_while_polling_then_back(
    socket_enabled: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    standin = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"})
    await standin.start()
    port = standin.port
    app = BotApp(
        config(f"http://127.0.0.1:{unused_port()}", standin.base_url, tmp_path),
        backoff=FAST,
    )
    stop = asyncio.Event()
    run = asyncio.create_task(app.run_until(stop))
    again: BotApiStandIn | None = None
    try:
        await standin.wait_for_poller()
        await standin.close()  # Telegram goes away mid-poll
        prefix = f"cannot reach Telegram at {standin.base_url}: "
        await wait_for(lambda: len(lines(caplog, prefix)) >= 2)
        assert all("retrying in" in line for line in lines(caplog, prefix))
        again = BotApiStandIn(tokens={TELEGRAM_TOKEN: "bot"})
        again.add_user(1001, "Alice")
        await again.start(port)
        await again.wait_for_poller()
        # The first long poll that returns proves the way is open again.
        await again.push_message(1001, "/help")
        back = f"Telegram at {standin.base_url} is reachable again"
        await wait_for(lambda: bool(lines(caplog, back)))
        stop.set()
        assert await run == 0
    finally:
        await app.stop()
        if again is not None:
            await again.close()
    no_traceback(caplog)


async def test_a_rejected_telegram_token_ends_the_run_with_one_line(
    botapi: BotApiStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "987654321:ZZZhBOweik6ad9r_QxMwUfZ3mYv5lSsT7qX"
    app = BotApp(
        config("http://127.0.0.1:1", botapi.base_url, tmp_path, telegram_token=wrong),
        backoff=FAST,
    )
    try:
        assert await app.run_until(asyncio.Event()) == 1
    finally:
        await app.stop()
    assert lines(caplog, "Telegram rejected the bot token") == [
        "Telegram rejected the bot token 987654321:… (35 chars hidden): copy it "
        "again from @BotFather (TELEGRAM_BOT_TOKEN); stopping"
    ]
    ours = [r for r in caplog.records if r.name.startswith("bot")]
    assert not any(wrong in r.getMessage() for r in ours)
    no_traceback(caplog)


async def test_stop_while_telegram_is_unreachable_exits_cleanly(
    socket_enabled: None, tmp_path: Path
) -> None:
    port = unused_port()
    app = BotApp(
        config(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/bot", tmp_path),
        backoff=Backoff(initial_s=30.0, maximum_s=30.0),
    )
    stop = asyncio.Event()
    run = asyncio.create_task(app.run_until(stop))
    await asyncio.sleep(0.2)
    stop.set()
    try:
        async with asyncio.timeout(5):  # not after the 30 s backoff
            assert await run == 0
    finally:
        await app.stop()


def test_the_console_script_prints_no_traceback(
    socket_enabled: None, tmp_path: Path
) -> None:
    """What the issue saw: a 164-line traceback with Telegram unreachable. Now a
    line per try, and SIGTERM ends it with status 0."""
    port = unused_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "HA_URL": f"http://127.0.0.1:{port}",
        "HA_TOKEN": "token",
        "BOT_STATE_FILE": str(tmp_path / "state.json"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen: list[str] = []
    try:
        while sum("retrying in" in line for line in seen) < 2:
            line = process.stderr.readline()
            assert line, "".join(seen)
            seen.append(line)
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = "".join(seen) + rest
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert f"cannot reach Telegram at http://127.0.0.1:{port}/bot: connection " in log
    assert "retrying in 1." in log or "retrying in 0." in log
