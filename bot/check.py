"""`--check`: prove the configuration works before the bot runs for real.

Both sides are checked even when one fails, so a single run names every problem.
Messages name the likely cause in the words a user searches for; secrets are
masked, including in error texts that libraries build around the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.config import mask_secret
from bot.ha_client import AuthError, CannotConnectError, HAError, open_connection
from bot.network import client_session, explain

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.config import BotConfig

RECIPIENTS_COMMAND = "neighborhood_requests/recipients"
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Finding:
    """One line of the report: whether it is fine, and what was found."""

    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'} {self.text}"


async def check_home_assistant(config: BotConfig) -> list[Finding]:
    """Connect, authenticate, read HA's config and ask the integration."""
    async with client_session() as session:
        try:
            connection = await open_connection(
                session, config.ha_url, config.ha_token, timeout_s=TIMEOUT_S
            )
        except CannotConnectError as err:
            reason = f"cannot reach Home Assistant at {config.ha_url}: {err}"
            return [Finding(ok=False, text=reason)]
        except AuthError as err:
            return [
                Finding(
                    ok=False,
                    text=f"{err} (HA_TOKEN {mask_secret(config.ha_token)}; create "
                    "a long-lived access token for the bot's HA user)",
                )
            ]
        try:
            return [
                await _describe_home(connection.call, config.ha_url),
                await _describe_integration(connection.call),
            ]
        finally:
            await connection.close()


async def _describe_home(call: Callable[..., Any], ha_url: str) -> Finding:
    try:
        ha_config = await call("get_config")
    except HAError as err:
        return Finding(ok=False, text=f"Home Assistant refused get_config: {err}")
    return Finding(
        ok=True,
        text=f"Home Assistant {ha_config.get('version', '?')} at {ha_url} "
        f"(location {ha_config.get('location_name', '?')!r})",
    )


async def _describe_integration(call: Callable[..., Any]) -> Finding:
    try:
        recipients = await call(RECIPIENTS_COMMAND)
    except HAError as err:
        if err.code == "unknown_command":
            text = "Neighborhood Requests integration not installed (or too old)"
        elif err.code == "unauthorized":
            text = (
                "HA_TOKEN lacks rights for the Neighborhood Requests commands "
                "(token lacks rights; use a token of a user the integration allows)"
            )
        else:
            text = f"Neighborhood Requests integration answered an error: {err}"
        return Finding(ok=False, text=text)
    if isinstance(recipients, dict):
        recipients = recipients.get("recipients")
    count = f"{len(recipients)} linked" if isinstance(recipients, list) else "unknown"
    if (problem := await _not_admin(call)) is not None:
        return problem
    return Finding(
        ok=True,
        text=f"Neighborhood Requests integration answers (recipients: {count})",
    )


async def _not_admin(call: Callable[..., Any]) -> Finding | None:
    """The bot relays for every linked resident, which HA allows only an admin.

    A non-admin token still lists its own recipients, so this needs asking apart.
    """
    try:
        user = await call("auth/current_user")
    except HAError:
        return None  # an HA without the auth API: nothing to tell
    if user.get("is_admin"):
        return None
    return Finding(
        ok=False,
        text=f"HA_TOKEN belongs to {user.get('name')!r}, who is not an "
        "administrator (token lacks rights: the bot lists every linked resident, "
        "completes pairings and relays for them, which Home Assistant allows only "
        "an admin user)",
    )


async def check_telegram(config: BotConfig) -> list[Finding]:
    """Call getMe with the configured token and Bot API server."""
    base_url = config.telegram_api_base_url
    token = config.telegram_token
    try:
        async with Bot(token, base_url=base_url) as bot:
            me = bot.bot
    except InvalidToken:
        text = (
            f"Telegram rejected the bot token {mask_secret(token)}: copy it again "
            "from @BotFather (TELEGRAM_BOT_TOKEN)"
        )
    except BadRequest as err:  # a NetworkError subclass in PTB, but an answer
        reason = str(err).replace(token, mask_secret(token))
        text = f"the Telegram Bot API at {base_url} answered an error: {reason}"
    except NetworkError as err:
        reason = explain(err, base_url).replace(token, mask_secret(token))
        text = f"cannot reach the Telegram Bot API at {base_url}: {reason}"
    except TelegramError as err:
        reason = str(err).replace(token, mask_secret(token))
        text = f"the Telegram Bot API at {base_url} answered an error: {reason}"
    else:
        return [
            Finding(
                ok=True,
                text=f"Telegram bot @{me.username} (id {me.id}) via {base_url}",
            )
        ]
    return [Finding(ok=False, text=text)]


async def run_check(config: BotConfig, out: Callable[[str], None] = print) -> bool:
    """Check both sides, print one line per finding; True when all is well."""
    source = config.source or "environment"
    out(
        f"OK   configuration ({source}; language {config.language}; "
        f"state file {config.state_file})"
    )
    findings = [*await check_home_assistant(config), *await check_telegram(config)]
    for finding in findings:
        out(str(finding))
    failed = sum(not finding.ok for finding in findings)
    if failed:
        out(f"{failed} problem{'s' if failed > 1 else ''} found.")
        return False
    out("All checks passed.")
    return True
