"""The publisher and the protocol package must run without Home Assistant."""

import subprocess
import sys

PROBE = """
import sys
import publisher.__main__
import publisher.check
import custom_components.neighborhood_requests.protocol.feed
import custom_components.neighborhood_requests.export.clip
import custom_components.neighborhood_requests.delivery.runner
leaked = sorted(m for m in sys.modules if m.split(".")[0] == "homeassistant")
print(",".join(leaked))
"""


def test_publisher_and_pure_packages_never_import_homeassistant() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", f"Home Assistant was imported: {done.stdout}"


def test_the_integration_still_offers_its_config_schema() -> None:
    import custom_components.neighborhood_requests as integration

    schema = integration.CONFIG_SCHEMA
    assert schema({"neighborhood_requests": {}}) == {"neighborhood_requests": {}}
