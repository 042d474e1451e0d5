"""`python -m publisher` and the `neighborhood-requests-feed` console script."""

from __future__ import annotations

import sys

from publisher.cli import run


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; 0 ok, 1 failure, 2 usage error."""
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":  # pragma: no cover - run by the subprocess tests
    sys.exit(main())
