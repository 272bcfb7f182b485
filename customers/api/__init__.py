"""Our own API v2 for customers, at POST /api/v2: the seed protocol, served from our records.

The view (view.py) checks the key and the request limit and hands the form to one action
handler (actions/); handlers answer dicts and lists in the seed's shapes (render.py) or raise
ApiError with the texts real panels use (errors.py), so existing clients work unchanged.
"""
