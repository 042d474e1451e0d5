"""Fixtures the attacks borrow from the suites of the parts they attack.

The reference publisher's inbox, served on 127.0.0.1, comes from
`tests/publisher/conftest.py`; Home Assistant tests import what they need from
`tests/integration/` in their own module, so that plain HTTP attacks here run
without starting Home Assistant.
"""

from tests.publisher.conftest import (  # noqa: F401  (fixtures, found by name)
    _local_sockets,
    cli,
    inbox_server,
    serve_app,
    session,
    signed_feed,
    workspace,
)
