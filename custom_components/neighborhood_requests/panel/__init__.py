"""The "Video requests" sidebar panel: its registration and its websocket commands.

The panel itself is TypeScript/Lit under the repository's `frontend/`; its built
bundle sits in `www/` here, so a HACS install needs no Node.
"""
