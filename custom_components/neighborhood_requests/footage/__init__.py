"""Footage: the home's own recordings and what is cut from them.

One recorder per camera, which cameras have footage of a window, previews for
the resident's eyes, and the exporter a share runs (built-in recorder or Frigate).
"""
