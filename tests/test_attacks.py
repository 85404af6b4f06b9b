"""Attacks on the gate, one fixture each (tests/data/attacks/*.toml): each refused with a clear message.

The attacker is a careless or hostile translator (a catalog, or the waivers file they
must not own), an author's page that would make a stage run for minutes, or someone
who edits dist/ after the build. For every attack:

* ``catalog``, ``append``, ``waivers`` -- ``carepages check`` reports the expected
  checks as errors with the file and line, the build withholds what the attack is on,
  and the hostile text reaches no file of dist/ (so no page with a hidden or falsified
  disclaimer is published);
* ``page``, ``symlink`` -- ``extract``, ``build`` and ``check`` stop with the expected
  GNU-style error line and exit status 2;
* ``dist``, ``zip`` -- after a good build, the edit makes ``check`` fail with the
  expected checks, ``carepages verify`` fail, and the next build puts dist/ right.

Each attack's CPU time is printed after the module (bounded work is asserted by
what is refused and never rendered, not by a clock: no test asserts a time, the
benchmark measures speed, see issue 17).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from check_helpers import make_clinic
from helpers import run

from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import UI_DOMAIN, read_catalog, render_catalog
from carepages.config import load_config
from carepages.extract import extract_sources
from carepages.gate import collect
from carepages.ui import ui_disclaimers
from carepages.verify import run_verify

ATTACKS = Path(__file__).parent / "data" / "attacks"
CASES = sorted(ATTACKS.glob("*.toml"))
TIMES: dict[str, float] = {}


def load(case: Path) -> dict[str, Any]:
    return tomllib.loads(case.read_text(encoding="utf-8"))


def of_kind(*kinds: str) -> list[Path]:
    return [case for case in CASES if load(case)["kind"] in kinds]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The check clinic (de, ar, zh_CN: one page, three disclaimers), fully translated and built."""
    root = make_clinic(tmp_path_factory.mktemp("attacks") / "clinic")
    run_build(load_config(root), jobs=1)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="module", autouse=True)
def report_times() -> Any:
    yield
    if TIMES:
        print(
            "\nCPU seconds per attack: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(TIMES.items()))
        )


def msgid_of(root: Path, target: str) -> tuple[str, str]:
    """(domain, msgid) of ``disclaimer:ID``, ``ui:ID`` or an exact msgid of the page ``knee``."""
    kind, _, name = target.partition(":")
    if kind == "ui":
        return UI_DOMAIN, next(msgid for msgid, (found, _) in ui_disclaimers().items() if found == name)
    if kind == "disclaimer":
        sources = extract_sources(load_config(root))
        for messages in sources.all():
            for segment in messages.segments:
                if segment.disclaimer == name:
                    return messages.domain, segment.msgid
    return "knee", target


def apply_catalog_attack(root: Path, attack: dict[str, Any]) -> tuple[str, str, str]:
    """Put the hostile translation in through Babel; return (catalog path, msgid, hostile text)."""
    config = load_config(root)
    domain, msgid = msgid_of(root, attack["target"])
    text = attack["msgstr"] if "msgstr" in attack else attack["repeat"][0] * attack["repeat"][1] + msgid
    path = po_path(config, attack["locale"], domain)
    catalog = read_catalog(path, config.relative(path), attack["locale"])
    catalog[msgid].string = text
    if "comment" in attack:
        catalog[msgid].user_comments = [attack["comment"]]
    path.write_bytes(render_catalog(catalog, config.locations))
    return config.relative(path), msgid, text


def dist_text(root: Path, locale: str) -> str:
    """Every file of dist/ a locale's readers get, as text: its pages, its bundle's, the index."""
    parts = []
    dist = root / "dist"
    for path in sorted([*(dist / locale).glob("*"), dist / "downloads" / f"{locale}.zip", dist / "index.html"]):
        if not path.exists():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                parts += [bundle.read(name).decode("utf-8") for name in bundle.namelist()]
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("case", of_kind("catalog", "append", "waivers"), ids=lambda case: case.stem)
def test_a_translators_attack_is_refused_and_publishes_nothing(case: Path, clinic: Path) -> None:
    attack = load(case)
    locale = attack["locale"]
    config = load_config(clinic)
    if attack["kind"] == "catalog":
        rel, _, hostile = apply_catalog_attack(clinic, attack)
    elif attack["kind"] == "append":
        path = po_path(config, locale, attack["domain"])
        path.write_text(path.read_text(encoding="utf-8") + attack["text"], encoding="utf-8")
        rel, hostile = config.relative(path), attack["hostile"]
    else:
        (clinic / "locale" / locale / "waivers.toml").write_text(attack["text"], encoding="utf-8")
        rel, hostile = f"locale/{locale}/waivers.toml", ""
    started = time.process_time()
    report = collect(config, [locale], jobs=1)
    summary = run_build(config, jobs=1)
    TIMES[case.stem] = time.process_time() - started
    errors = {f.code for f in report.findings if f.severity == "error" and f.problem.path == rel}
    assert set(attack["expect"]) <= errors, "\n".join(f.format() for f in report.findings)
    located = [f for f in report.findings if f.code in attack["expect"] and f.code not in {"waivers", "outdated"}]
    assert all(f.problem.line for f in located)  # the PO file's line of the message
    assert (
        not summary.changed
        or "knee" not in next(o for o in summary.outcomes if o.locale == locale).verdict.published_pages
    )  # type: ignore[union-attr]
    assert not (clinic / "dist" / locale / "knee.html").exists()
    if hostile.strip(".\u00a0\u200b "):
        assert hostile not in dist_text(clinic, locale)


@pytest.mark.parametrize("case", of_kind("page", "symlink"), ids=lambda case: case.stem)
def test_a_hostile_source_stops_every_command_quickly(
    case: Path, clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attack = load(case)
    if attack["kind"] == "symlink":
        secret = tmp_path / "secret.md"
        secret.write_text("<!-- disclaimer: emergency -->\nStem cells cure everything.\n", encoding="utf-8")
        (clinic / attack["link"]).unlink()
        (clinic / attack["link"]).symlink_to(secret)
    else:
        (clinic / "source" / "attack.md").write_text(page_text(attack), encoding="utf-8")
    started = time.process_time()
    for command in ("extract", "build", "check"):
        result = run(capsys, command, "-j", "1") if command == "build" else run(capsys, command)
        assert result.status == 2 and "Traceback" not in result.err
        assert result.err.startswith(attack["error"]), result.err
        assert len(result.err) < 400  # a long value is cut, never printed whole
    TIMES[case.stem] = time.process_time() - started


def page_text(attack: dict[str, Any]) -> str:
    text: str = attack["text"]
    if "fill" in attack:
        marker, char, count = attack["fill"]
        text = text.replace(marker, char * count)
    if "quotes" in attack:
        text = text.replace("QUOTES", "\n".join(">" * depth + " words" for depth in range(1, attack["quotes"] + 1)))
    return text


@pytest.mark.parametrize("case", of_kind("dist", "zip"), ids=lambda case: case.stem)
def test_dist_edited_after_the_build_fails_check_and_verify(
    case: Path, clinic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attack = load(case)
    dist = clinic / "dist"
    before = {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    tamper(dist, attack)
    started = time.process_time()
    report = collect(load_config(clinic), jobs=1)
    TIMES[case.stem] = time.process_time() - started
    errors = {f.code for f in report.findings if f.severity == "error"}
    assert set(attack["expect"]) <= errors, "\n".join(f.format() for f in report.findings)
    assert report.failed
    capsys.readouterr()
    assert run_verify(dist) == 1
    assert "carepages verify: FAILED" in capsys.readouterr().out
    run_build(load_config(clinic), jobs=1)
    after = {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    assert after == before  # the next build puts dist/ right
    assert not collect(load_config(clinic), jobs=1).failed


def tamper(dist: Path, attack: dict[str, Any]) -> None:
    target = dist / attack["file"]
    if attack["kind"] == "zip":
        old = target.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(old)) as source, zipfile.ZipFile(out, "w") as bundle:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == attack["member"]:
                    data = data.replace(attack["replace"][0].encode(), attack["replace"][1].encode())
                bundle.writestr(info, data)
        target.write_bytes(out.getvalue())
    elif "create" in attack:
        target.write_text(attack["create"], encoding="utf-8")
    else:
        text = target.read_text(encoding="utf-8")
        assert attack["replace"][0] in text
        target.write_text(text.replace(attack["replace"][0], attack["replace"][1]), encoding="utf-8")
    if attack.get("forge_bundle"):  # the planted file added to its language's bundle too
        bundle = dist / "downloads" / f"{attack['file'].split('/')[0]}.zip"
        with zipfile.ZipFile(bundle, "a") as archive:
            archive.writestr(attack["file"], target.read_bytes())
    if attack.get("forge_manifest"):
        manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
        for name in [
            attack["file"],
            *(["downloads/" + attack["file"].split("/")[0] + ".zip"] * bool(attack.get("forge_bundle"))),
        ]:
            data = (dist / name).read_bytes()
            manifest["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        (dist / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def test_every_attack_fixture_is_used() -> None:
    kinds = {load(case)["kind"] for case in CASES}
    assert kinds == {"catalog", "append", "waivers", "page", "symlink", "dist", "zip"}
    assert len(CASES) >= 25
    assert all(re.match(r"^[a-z0-9-]+$", case.stem) for case in CASES)
