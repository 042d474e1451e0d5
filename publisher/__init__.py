"""Reference publisher for Community Request Feeds: keys, signing, serving, inbox, push.

It reuses the integration's pure `protocol` package, so a feed this tool signs and
checks is verified by exactly the code a home runs.
"""
