"""Companion Telegram bot for Neighborhood Requests.

It runs as its own process and talks to Home Assistant only over HA's websocket
API, so all authority (who may decide, what is shared) stays in Home Assistant.
"""
