"""Delivery of shared clips: the outbox state machine and the streamed upload.

No Home Assistant imports: the integration hands in an aiohttp session, a clock and
callbacks for persistence and the audit log, so every fault can be tested against a
real HTTP server without a running Home Assistant.
"""
