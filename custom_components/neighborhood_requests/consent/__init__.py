"""Consent: who may do what, the decisions themselves, and how residents are asked.

The access model, the one decision path, the owner's prompts (browser, phone,
notifications), Telegram links and the view of requests the bot relays.
"""
