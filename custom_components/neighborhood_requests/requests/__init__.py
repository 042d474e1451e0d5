"""Requests: from a feed's bytes to a record of what this home did about each one.

Fetching and pushing feeds, judging each request against the home's rules,
the persistent store of requests and decisions, and the transparency report.
"""
