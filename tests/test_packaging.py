"""The package metadata builds the same tomorrow (SPDX license, pinned backend)."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))


def test_the_license_is_an_spdx_expression() -> None:
    # A TOML table here is deprecated by setuptools, with support ending 2027-02-18.
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_build_backend_is_pinned() -> None:
    requires = PYPROJECT["build-system"]["requires"]
    assert requires
    assert all("==" in requirement for requirement in requires)


def test_the_docs_assets_ship_with_the_package() -> None:
    assert PYPROJECT["tool"]["setuptools"]["package-data"]["app"] == ["docs_static/*"]
    assert any(dep.startswith("fastapi-offline==") for dep in PYPROJECT["project"]["dependencies"])
