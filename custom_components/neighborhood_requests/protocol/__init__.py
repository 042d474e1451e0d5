"""Community Request Feed protocol: pure Python, no Home Assistant imports.

The publisher, the benchmarks and the tests import these modules directly, so they
must stay free of `homeassistant` and of I/O beyond what a caller hands them.
"""
