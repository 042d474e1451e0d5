"""Which linked Telegram chats may see, preview and decide an entry's requests.

Home Assistant decides and the bot obeys: the relay's subscription carries, with
every request, the Telegram ids the access model lets see it (`view`), watch
its footage (`preview`) and answer it (`decide`), each for the Home Assistant
user a chat is linked to. The bot sends a request only to `view`, shows Preview
only to `preview` and Share/Decline only to `decide`, and holds no rules of its
own. A linked group is a reader at most: it is in `view` when the user who
linked it may see the requests, never in `preview` (footage goes only to a
decider's private chat) nor in `decide` (its members answer as themselves).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .access import Action, allows
from .people import RECIPIENTS, decider_names
from .recipients import KIND_USER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..settings import Settings


def audience(hass: HomeAssistant, settings: Settings) -> dict[str, list[str]]:
    """`{"view", "preview", "decide"}`: Telegram ids, as the recipients list them."""
    users = decider_names(hass)
    found: dict[str, list[str]] = {"view": [], "preview": [], "decide": []}
    for recipient in hass.data[RECIPIENTS].list():
        user = users.user(recipient.user_id)
        if not allows(settings, user, Action.VIEW):
            continue
        found["view"].append(recipient.telegram_user_id)
        if recipient.kind != KIND_USER:
            continue
        if allows(settings, user, Action.PREVIEW):
            found["preview"].append(recipient.telegram_user_id)
        if allows(settings, user, Action.DECIDE):
            found["decide"].append(recipient.telegram_user_id)
    return {key: sorted(ids) for key, ids in found.items()}
