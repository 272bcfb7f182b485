"""Files the embedded default keeps under var/ so it runs with nothing configured."""

import secrets
from pathlib import Path


def persisted_secret(path: Path, make=lambda: secrets.token_urlsafe(50)) -> str:
    """Return the secret stored at `path`, creating it (readable by its owner only) if missing."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.touch(mode=0o600)
    path.write_text(value + "\n")
    return value


def filesystem_broker_options(root: Path) -> dict[str, object]:
    """Transport options for Celery's filesystem:// broker; every folder absolute and present."""
    queue = root / "queue"
    folders = {
        "data_folder_in": queue,
        "data_folder_out": queue,
        "control_folder": root / "control",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder.resolve()) for name, folder in folders.items()} | {
        "store_processed": False,
        # Seconds a reader waits after finding nothing; kombu's 1 s default leaves a worker
        # idle for a second each time its prefetch window was full.
        "polling_interval": 0.01,
    }
