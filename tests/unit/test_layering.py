"""The one dependency rule: orchestration → pipeline → crawl, transforms, warehouse, expectations; never back."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "pipeline": {"dagster", "orchestration"},
    "transforms": {"dagster", "duckdb", "great_expectations", "orchestration", "pipeline", "warehouse", "expectations",
                   "httpx", "requests", "urllib.request"},
    "warehouse": {"dagster", "orchestration", "pipeline", "great_expectations"},
    "expectations": {"dagster", "duckdb", "orchestration", "pipeline", "warehouse"},
    "crawl": {"dagster", "duckdb", "orchestration", "pipeline", "warehouse", "great_expectations"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package):
    for path in (ROOT / package).rglob("*.py"):
        for name in imported_modules(path):
            assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]), f"{path}: {name}"


def test_sql_is_never_built_with_f_strings():
    """Values reach DuckDB as bound parameters: no execute() call takes an f-string or a % format."""
    for package in ("warehouse", "pipeline", "orchestration"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("execute", "sql", "query"):
                    for arg in node.args[:1]:
                        assert not isinstance(arg, ast.JoinedStr | ast.BinOp), f"{path}:{node.lineno}"
