"""The splitter core imports no web, database or other application modules."""

from __future__ import annotations

import ast
from pathlib import Path

import app.splitter

FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "pydantic", "starlette")


def test_splitter_imports_nothing_from_outside() -> None:
    root = Path(app.splitter.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
                if name.startswith("app.") or name == "app":
                    assert name.startswith("app.splitter"), f"{path.name} imports {name}"
