"""The hash-pinned lock: what the README's two commands install is what the lock says, and the
lock covers every dependency pyproject.toml names (a dependency added without `scripts/lock`
would otherwise be installed by nobody, or by pip unpinned)."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "scripts" / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _entries() -> dict[str, tuple[str, list[str]]]:
    """Each locked package: its version and the hashes listed under it."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pin = _PIN.match(line)
        if pin:
            current = canonicalize_name(pin.group(1))
            assert current not in entries, f"{current} is locked twice"
            entries[current] = (pin.group(2), [])
        elif line.strip().startswith("--hash=sha256:") and current:
            entries[current][1].append(line.strip().removesuffix("\\").strip())
    return entries


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_locked_package_has_one_version_and_its_hashes() -> None:
    entries = _entries()
    assert len(entries) > 20
    for name, (pinned, hashes) in entries.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", pinned), name
        assert hashes, f"{name}=={pinned} has no --hash line"
        assert all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_the_lock_pins_the_installer_and_the_build_backend_that_pyproject_names() -> None:
    entries = _entries()
    assert "pip" in entries
    assert "setuptools" in entries
    requires = [Requirement(r) for r in _pyproject()["build-system"]["requires"]]
    backend = [r for r in requires if canonicalize_name(r.name) == "setuptools"]
    assert backend, "build-system.requires names no setuptools"
    assert str(backend[0].specifier) == f"=={entries['setuptools'][0]}"


def test_every_dependency_of_pyproject_is_locked_at_a_version_it_accepts() -> None:
    project = _pyproject()["project"]
    entries = _entries()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    for spec in wanted:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{spec} is not in scripts/requirements.lock: run scripts/lock"
        assert requirement.specifier.contains(entries[name][0], prereleases=True), (
            f"{spec} does not accept the locked {entries[name][0]}: run scripts/lock -P {name}"
        )


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != Path(os.environ.get("CAREPAGES_VENV", ROOT / ".venv")).resolve(),
    reason="runs in the environment scripts/bootstrap made from the lock",
)
def test_the_environment_the_tests_run_in_is_the_lock() -> None:
    for name, (pinned, _) in _entries().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            pytest.fail(f"{name}=={pinned} is locked but not installed: run scripts/bootstrap")
        assert installed == pinned, f"{name}: installed {installed}, locked {pinned}"


def test_bootstrap_installs_by_hash_and_nothing_unlisted() -> None:
    script = (ROOT / "scripts" / "bootstrap").read_text(encoding="utf-8")
    assert '--require-hashes --no-deps -r "$lock"' in script
    assert "--no-deps --no-build-isolation -e" in script
    assert "--upgrade" not in script
