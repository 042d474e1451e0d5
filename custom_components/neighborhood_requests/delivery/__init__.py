"""Delivery of shared clips: the outbox state machine and the streamed upload.

`outbox`, `runner`, `upload` and `clip_stream` import nothing from Home Assistant:
the integration hands in an aiohttp session, a clock and callbacks for persistence
and the audit log, so every fault can be tested against a real HTTP server without
a running Home Assistant. `deliveries` (the entry's persistent outbox) and
`home_key` (the key that signs each manifest) are the Home Assistant side.
"""
