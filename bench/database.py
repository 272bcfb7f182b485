"""A throwaway database for one run, so the benchmark never touches real data.

On the configured PostgreSQL (DATABASE_URL) it is a new database beside the real one, made
and dropped by Django's test-database machinery; elsewhere a temporary SQLite file.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Create and migrate the database, yield its name, drop it however the run ends."""
    folder = ""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-")
        test_settings["NAME"] = os.path.join(folder, "bench.sqlite3")
    else:  # a name of its own, so a run beside the test suite or another run cannot clash
        test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}_{os.getpid()}"
    real_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def use_database(name: str) -> None:
    """Point this process (a child of the benchmark) at the run's database, before any query."""

    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
