"""One direction of imports: views and tasks → services → selectors. A selector only reads,
so no module in orders/selectors or customers/selectors imports a services module, even
inside a function."""

import ast
from pathlib import Path

import customers
import orders

SELECTORS = [Path(app.__file__).parent / "selectors" for app in (orders, customers)]
SERVICES = ("orders.services", "customers.services")
SERVICES_DOT = tuple(f"{name}." for name in SERVICES)


def imported_modules(path: Path, package: str = "orders.selectors") -> set[str]:
    """Every module `path` imports, spelled in full (`from orders import services` counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from ..services import x, from . import y
                package = package.rsplit(".", node.level - 1)[0]
                base = f"{package}.{base}" if base else package
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def services_imported_by_selectors() -> dict[str, list[str]]:
    wrong = {}
    for folder in SELECTORS:
        package = f"{folder.parent.name}.selectors"
        for path in sorted(folder.glob("*.py")):
            names = imported_modules(path, package)
            bad = sorted(n for n in names if n in SERVICES or n.startswith(SERVICES_DOT))
            if bad:
                wrong[f"{package}.{path.stem}"] = bad
    return wrong


def test_no_selector_imports_a_service():
    assert services_imported_by_selectors() == {}


def test_the_check_sees_every_way_of_importing_a_service(tmp_path):
    source = (
        "import orders.services.queue\n"
        "from orders import services\n"
        "def late():\n    from ..services.actions import orders_refill\n"
    )
    (tmp_path / "bad.py").write_text(source)
    assert imported_modules(tmp_path / "bad.py") >= {
        "orders.services.queue",
        "orders.services",
        "orders.services.actions",
    }
