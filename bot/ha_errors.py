"""Errors of the Home Assistant websocket client."""

from __future__ import annotations


class HAClientError(Exception):
    """Base class for everything this client raises."""


class CannotConnectError(HAClientError):
    """Home Assistant could not be reached or did not speak the websocket API."""


class AuthError(HAClientError):
    """Home Assistant refused the access token; retrying will not help."""


class ConnectionLostError(HAClientError):
    """The connection closed while a command or subscription was waiting."""


class NotConnectedError(HAClientError):
    """A command was issued while the client had no open connection."""


class HAError(HAClientError):
    """Home Assistant answered a command with an error result."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")
