"""The one failure type the CLI turns into a single line on stderr and exit code 1."""

from __future__ import annotations


class PublisherError(Exception):
    """A failure the user can act on; the message is the whole explanation."""


class UsageError(PublisherError):
    """A malformed option value that argparse itself cannot check (exit code 2)."""
