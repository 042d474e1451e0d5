"""`scripts/demo`: every real part of the project running together on 127.0.0.1.

A newcomer's first look, and the proof that the pieces work as separate processes,
not only inside the test harness. Nothing here is imported by the integration.
"""
