"""A clinic's two commands: ``ssh-keygen -Y verify`` on the signed manifest, then ``carepages verify``.

The publisher signs ``manifest.json`` with a throwaway key; the signature verifies for the
real manifest and not for a changed one, and ``carepages verify`` accepts the download and
each bundle as built, and refuses them edited, from a command line with no project.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from check_helpers import make_clinic
from helpers import require_program, run

from carepages.builder import run_build
from carepages.config import load_config

NAMESPACE = "carepages-manifest"
IDENTITY = "pages@clinic.example"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_clinic(tmp_path_factory.mktemp("verify") / "clinic")
    run_build(load_config(root), jobs=1)
    return root / "dist"


@pytest.fixture
def download(built: Path, tmp_path: Path) -> Path:
    """The clinic's copy of the published dist/, somewhere with no carepages project above it."""
    copy = tmp_path / "download"
    shutil.copytree(built, copy)
    return copy


def sign(tmp_path: Path, manifest: Path) -> Path:
    """Sign the manifest as the publisher does; return the clinic's allowed-signers file."""
    keygen = require_program("ssh-keygen")
    key = tmp_path / "publisher_key"
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", IDENTITY, "-f", str(key)], check=True)
    subprocess.run([keygen, "-q", "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(manifest)], check=True)
    allowed = tmp_path / "allowed_signers"
    kind, public, *_ = key.with_suffix(".pub").read_text(encoding="utf-8").split()
    allowed.write_text(f"{IDENTITY} {kind} {public}\n", encoding="utf-8")
    return allowed


def signature_verifies(allowed: Path, manifest: Path) -> bool:
    command = [shutil.which("ssh-keygen") or "ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", IDENTITY]
    command += ["-n", NAMESPACE, "-s", f"{manifest}.sig"]
    with manifest.open("rb") as data:
        return subprocess.run(command, stdin=data, capture_output=True, check=False).returncode == 0


def test_the_clinics_two_commands_accept_a_signed_download(
    download: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    allowed = sign(tmp_path, download / "manifest.json")
    assert (download / "manifest.json.sig").is_file()
    assert signature_verifies(allowed, download / "manifest.json")
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "verify", str(download))
    assert result.status == 0, result.out + result.err
    assert "matches" in result.out and "nothing unlisted" in result.out
    for bundle in sorted((download / "downloads").glob("*.zip")):
        shutil.copy(bundle, tmp_path / bundle.name)
        result = run(capsys, "verify", bundle.name, "--manifest", str(download / "manifest.json"))
        assert result.status == 0, result.out


def test_a_changed_manifest_fails_its_signature(download: Path, tmp_path: Path) -> None:
    allowed = sign(tmp_path, download / "manifest.json")
    manifest = download / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"published": true', '"published": false', 1))
    assert not signature_verifies(allowed, manifest)


def test_verify_refuses_an_edited_download(download: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = download / "de" / "knee.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<main>", '<main hidden="">'), encoding="utf-8")
    result = run(capsys, "verify", str(download))
    assert result.status == 1
    assert f"{download.as_posix()}/de/knee.html: error: [manifest] changed since the build" in result.out
    assert "is hidden by the hidden attribute of <main>" in result.out
    assert "carepages verify: FAILED" in result.out


def test_verify_without_a_manifest_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    result = run(capsys, "verify", str(tmp_path / "empty"))
    assert result.status == 2
    assert "manifest.json: error: cannot read" in result.err


@pytest.mark.parametrize("alone", [False, True], ids=["in-the-download", "bundle-alone"])
def test_a_bundle_with_a_damaged_member_is_refused_not_a_crash(
    download: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], alone: bool
) -> None:
    """A flipped bit inside a member's compressed data makes zlib raise its own error, which is not a zip error."""
    bundle = download / "downloads" / "de.zip"
    with zipfile.ZipFile(bundle) as opened:
        member = opened.infolist()[0]
        start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data = bytearray(bundle.read_bytes())
    for at in range(start + 2, start + 12):
        data[at] ^= 0xFF
    bundle.write_bytes(bytes(data))
    if alone:
        result = run(capsys, "verify", str(bundle), "--manifest", str(download / "manifest.json"))
    else:
        result = run(capsys, "verify", str(download))
    assert result.status == 1, result.out + result.err
    assert "Traceback" not in result.err
    assert "de.zip: error: [manifest] the bundle: cannot be read as a zip" in result.out
