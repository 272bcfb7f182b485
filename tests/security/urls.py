"""Every URL the project serves, with sample values for its parameters."""

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def all_paths(patterns=None, prefix: str = "") -> list[tuple[str, str]]:
    """(path, name) for every pattern, converters filled with sample values."""
    found: list[tuple[str, str]] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + _route(pattern)
        if isinstance(pattern, URLResolver):
            found += all_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append(("/" + route, pattern.name or ""))
    return found


def _route(pattern) -> str:
    route = str(pattern.pattern)
    for converter, sample in SAMPLES.items():
        while f"<{converter}:" in route:
            start = route.index(f"<{converter}:")
            route = route[:start] + sample + route[route.index(">", start) + 1 :]
    while "<" in route:  # <name> without a converter is a str
        start = route.index("<")
        route = route[:start] + "x" + route[route.index(">", start) + 1 :]
    return route.lstrip("^").rstrip("$").replace("\\Z", "")
