"""Reads for the pages: one module per area, named <entity>_<what>."""
