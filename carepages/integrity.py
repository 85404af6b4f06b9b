"""Is a download what the build made? dist/ (or a bundle) against its manifest, and what its pages show.

The build lists every file of dist/ with its size and sha256 in ``manifest.json``.
Anything done to dist/ after the build (a stylesheet that hides the disclaimers, an
injected ``<script>``, a zip with the disclaimers removed, an extra page) shows here,
and ``carepages check`` (the ``manifest`` and ``visible`` checks) and ``carepages
verify`` (a clinic's copy, offline) both ask these functions:

* **manifest** -- every file listed is there with its size and sha256; no file is there
  that the manifest does not list (but ``manifest.json.sig``, the publisher's
  signature, made after the build); nothing is a link; each bundle holds exactly its
  locale's pages, byte for byte as listed;
* **visible** -- every HTML page has exactly the shipped stylesheet inline and the
  Content-Security-Policy, no script, no external stylesheet, no event handler or
  ``style`` attribute, and neither a disclaimer nor the page's notice, nor anything
  around them, is hidden (``hidden``, ``aria-hidden``, ``inert``, a class the
  stylesheet hides, ``<template>``, ``<details>``).

A manifest that was changed together with the files it lists is caught by a
signature (``ssh-keygen -Y verify``, see the README), or by ``carepages check``,
which compares the manifest's verdicts with its own.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import carepages
from carepages.htmltree import Node, parse
from carepages.layout import INDEX_NAME, MANIFEST_NAME, REPORT_NAME, bundle_name, page_suffixes
from carepages.memo import digest
from carepages.verdict import LocaleVerdict

if TYPE_CHECKING:
    from carepages.memo import KeptAnswers

SIGNATURE_NAME = "manifest.json.sig"
#: What a manifest this version writes names as its generator.
GENERATOR = f"carepages {carepages.__version__}"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: A page may be at most this large to be read for the ``visible`` rules (a built page is a few dozen KB).
MAX_PAGE_BYTES = 16 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
#: What reading a damaged or hostile zip raises (a flipped bit in a member's data is a ``zlib.error``).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)

#: Attributes that hide an element (or keep it from assistive technology), whatever their value.
HIDING_ATTRIBUTES = ("hidden", "aria-hidden", "inert", "style")
#: Elements whose content a reader does not see as the page shows it.
HIDING_ELEMENTS = frozenset({"template", "details", "noscript", "head", "script", "style", "title"})
#: Classes of the shipped stylesheet that hide an element (``.languages`` in print).
HIDING_CLASSES = frozenset({"languages"})
#: Elements no built page has: they run, embed or restyle something.
FORBIDDEN_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "base", "frame", "frameset", "applet"})


@dataclass(frozen=True)
class Found:
    """One problem with a download: which rule (``manifest`` or ``visible``), where, and what (no advice:
    ``check`` tells a publisher to build again, ``verify`` a clinic not to use the download)."""

    kind: str
    path: str  # relative to the folder checked
    line: int
    message: str


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says: each file's (size, sha256), and the rest of the record as written."""

    files: dict[str, tuple[int, str]]
    data: dict[str, Any]

    @property
    def generator(self) -> str:
        return str(self.data.get("generator", ""))


class ManifestError(ValueError):
    """The manifest cannot be read: there is nothing to verify against."""


def read_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; a broken or hostile one (a name with '..', a huge file) is refused."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror}") from exc
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"is larger than {MAX_MANIFEST_BYTES} bytes: not a carepages manifest")
    try:
        data = json.loads(raw.decode("utf-8"))
        files = {str(name): (entry["size"], entry["sha256"]) for name, entry in data["files"].items()}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(f"is not a carepages manifest ({type(exc).__name__})") from exc
    for name, (size, sha) in files.items():
        if not _safe_name(name) or not isinstance(size, int) or not isinstance(sha, str) or not _SHA256.match(sha):
            raise ManifestError(f"lists a file it may not: {name[:80]!r}")
    return Manifest(files, data)


#: Every file of a folder by its path inside it, with its (size, sha256): what the folder holds, byte for byte.
Snapshot = dict[str, tuple[int, str]]


def snapshot(folder: Path) -> Snapshot | None:
    """What ``folder`` holds, file by file; None when it holds anything the build never makes.

    A link (to a file or a folder), a FIFO or another special file makes it None, as does
    a folder that cannot be read: what such an entry shows can change while the folder's
    listing does not, so nothing about the folder may be taken as known. Paths are handled
    as strings: a dist/ holds tens of thousands of files.
    """
    found: Snapshot = {}
    top_length = len(os.path.join(str(folder), ""))
    try:
        for top, folders, files in os.walk(folder, onerror=_raise):
            prefix = os.path.join(top, "")[top_length:].replace(os.sep, "/")
            for name in folders:
                if os.path.islink(os.path.join(top, name)):
                    return None
            for name in files:
                path = os.path.join(top, name)
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    return None
                with open(path, "rb") as handle:
                    data = handle.read()
                found[prefix + name] = (len(data), sha256(data))
    except OSError:
        return None
    return found


def _raise(error: OSError) -> None:
    raise error


def _safe_name(name: str) -> bool:
    """A plain relative POSIX path below the folder: no '..', no absolute path, no backslash or NUL."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and "\\" not in name and "\x00" not in name and ".." not in parts


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: What breaks the ``visible`` rules in a page's bytes (a memo of :func:`page_problems`, see :mod:`carepages.readback`).
PageReader = Callable[[bytes], Sequence[tuple[int, str]]]


def check_folder(
    folder: Path,
    stylesheet: str | None,
    manifest: Manifest | None = None,
    read_page: PageReader | None = None,
    held: Snapshot | None = None,
    kept: KeptAnswers | None = None,
) -> list[Found]:
    """Every problem of a dist/ folder: against its manifest, and in its pages (``stylesheet``: the shipped CSS).

    ``manifest`` defaults to the folder's own ``manifest.json``; ``read_page`` stands in for
    :func:`page_problems` with that stylesheet (``check`` passes its memo of the pages read back);
    ``held`` is the folder's :func:`snapshot` when the caller has just taken it: its sizes and
    hashes are used instead of reading every file a second time. With ``held``, ``kept`` answers
    for a bundle or a page whose bytes (and, for a bundle, whose manifest entries) it has judged before.
    """
    if manifest is None:
        try:
            manifest = read_manifest(folder / MANIFEST_NAME)
        except ManifestError as exc:
            return [Found("manifest", MANIFEST_NAME, 0, str(exc))]
    held = held or {}
    found = list(_listed_files(folder, manifest, held))
    found += _unlisted_files(folder, manifest)
    found += unexpected_files(manifest)
    css = "" if stylesheet is None else hashlib.sha256(stylesheet.encode("utf-8")).hexdigest()
    for rel in sorted(manifest.files):
        path = folder / rel
        sha = held[rel][1] if kept is not None and rel in held else None  # no memo, or no hash: no key
        if rel.endswith(".zip") and path.is_file() and not path.is_symlink():
            key = (
                digest("bundle", rel, sha, json.dumps(sorted(bundle_members(path, manifest).items()))) if sha else None
            )
            found += _kept_found(kept, key, rel, functools.partial(check_bundle, path, rel, manifest))
        if rel.endswith(".html") and path.is_file() and not path.is_symlink():
            key = digest("visible", sha, css, "memo" if read_page else "") if sha else None
            found += _kept_found(kept, key, rel, functools.partial(check_page, path, rel, stylesheet, read_page))
    return found


def _kept_found(kept: KeptAnswers | None, key: str | None, rel: str, find: Callable[[], list[Found]]) -> list[Found]:
    """``find()``, or what ``kept`` holds under ``key`` (the problems of one file, which all name it)."""
    if kept is None:
        return find()
    return kept.answer(
        key,
        lambda: [[one.kind, one.line, one.message] for one in find()],
        lambda answers: [Found(str(kind), rel, int(line), str(message)) for kind, line, message in answers],
    )


def _listed_files(folder: Path, manifest: Manifest, held: Snapshot) -> Iterator[Found]:
    for rel, (size, sha) in sorted(manifest.files.items()):
        if rel in held:  # a regular file, hashed a moment ago (a snapshot holds no link)
            if held[rel] != (size, sha):
                yield Found("manifest", rel, 0, "changed since the build (its sha256 is not the manifest's)")
            continue
        path = folder / rel
        if path.is_symlink():
            yield Found("manifest", rel, 0, "is a link: the build writes only files")
        elif not path.is_file():
            yield Found("manifest", rel, 0, "is listed in the manifest but missing")
        elif path.stat().st_size != size or _file_sha256(path) != sha:
            yield Found("manifest", rel, 0, "changed since the build (its sha256 is not the manifest's)")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unlisted_files(folder: Path, manifest: Manifest) -> list[Found]:
    """Files (and links) in the folder that the manifest does not list: a planted page is a page online."""
    found = []
    allowed = {*manifest.files, MANIFEST_NAME, SIGNATURE_NAME}
    top_length = len(os.path.join(str(folder), ""))
    for top, folders, files in os.walk(folder):
        prefix = os.path.join(top, "")[top_length:].replace(os.sep, "/")  # strings: a dist/ holds many files
        for name in sorted(folders + files):
            rel = prefix + name
            mode = os.lstat(os.path.join(top, name)).st_mode
            if stat.S_ISLNK(mode) and rel not in manifest.files:
                found.append(Found("manifest", rel, 0, "is a link the build did not make"))
            elif not stat.S_ISDIR(mode) and rel not in allowed:
                found.append(Found("manifest", rel, 0, "is not in the manifest (a file added after the build)"))
        folders[:] = [name for name in folders if not os.path.islink(os.path.join(top, name))]
    return found


def unexpected_files(manifest: Manifest) -> list[Found]:
    """The files a manifest lists that no build makes for the verdicts it records (:mod:`carepages.layout`).

    A page planted after the build (``de/Knee.html``, ``de/sub/extra.html``, a page the
    verdict withholds), listed in a rewritten manifest and added to the bundle, passes
    every comparison of bytes; its name is not one the manifest's own verdicts publish.
    ``check`` also compares those verdicts with its own (the ``manifest`` check), so a
    forged verdict fails there; ``verify``, which has no project, trusts them. A manifest
    another version of carepages wrote may record its verdicts otherwise: not judged.
    """
    if manifest.generator != GENERATOR:
        return []
    verdicts = manifest.data.get("locales")
    if not isinstance(verdicts, dict):
        return [Found("manifest", MANIFEST_NAME, 0, "records no verdicts (locales): it is not a carepages manifest")]
    suffixes = page_suffixes(bool(manifest.data.get("handouts")))
    made = {INDEX_NAME, REPORT_NAME}
    for code, verdict in verdicts.items():
        try:
            published = LocaleVerdict.from_dict(code, verdict).published_pages
        except (KeyError, TypeError, ValueError, AttributeError):
            return [Found("manifest", MANIFEST_NAME, 0, f"its verdict for {code} cannot be read")]
        made |= {bundle_name(code), f"{code}/{INDEX_NAME}"}
        made |= {f"{code}/{page}.{suffix}" for page in published for suffix in suffixes}
    return [
        Found(
            "manifest",
            rel,
            0,
            "is listed in the manifest, but no build makes it (no page of that name is published in that language)",
        )
        for rel in sorted(set(manifest.files) - made)
    ]


def check_zip(path: Path, manifest: Manifest, stylesheet: str | None) -> list[Found]:
    """A bundle downloaded on its own (``downloads/<lang>.zip``), against the manifest of its build."""
    locale = PurePosixPath(path.name).stem
    rel = bundle_name(locale)
    if rel not in manifest.files:
        return [Found("manifest", path.name, 0, f"the manifest lists no {rel}: it is not from this build")]
    size, sha = manifest.files[rel]
    found = [
        replace(f, path=f"{path.name}:{f.path}") for f in unexpected_files(manifest) if f.path.startswith(f"{locale}/")
    ]
    if path.stat().st_size != size or _file_sha256(path) != sha:
        found.append(Found("manifest", path.name, 0, "is not the bundle the manifest lists (its sha256 differs)"))
    found += check_bundle(path, path.name, manifest)
    if len(found) > 1 and found[-1].message.startswith("the bundle: cannot be read"):
        return found
    try:
        with zipfile.ZipFile(path) as bundle:
            for name in sorted(n for n in bundle.namelist() if n.endswith(".html") and n in manifest.files):
                text = _read_member(bundle, name, manifest.files[name][0]).decode("utf-8", "replace")
                found += [Found("visible", f"{path.name}:{name}", ln, m) for ln, m in page_problems(text, stylesheet)]
    except ZIP_ERRORS as exc:
        found.append(Found("manifest", path.name, 0, f"the bundle: cannot be read as a zip ({type(exc).__name__})"))
    return found


def bundle_members(path: Path, manifest: Manifest) -> dict[str, tuple[int, str]]:
    """What a bundle (``downloads/<lang>.zip``) must hold: its locale's files, as the manifest lists them."""
    locale = PurePosixPath(path.name).stem
    return {name: info for name, info in manifest.files.items() if name.startswith(f"{locale}/")}


def check_bundle(path: Path, rel: str, manifest: Manifest) -> list[Found]:
    """A bundle holds exactly its locale's pages as the manifest lists them (read within their sizes)."""
    wanted = bundle_members(path, manifest)
    try:
        with zipfile.ZipFile(path) as bundle:
            members = {info.filename: info for info in bundle.infolist() if not info.is_dir()}
            problems = [f"{name} is missing" for name in sorted(set(wanted) - set(members))]
            problems += [f"{name} is not one of the locale's pages" for name in sorted(set(members) - set(wanted))]
            for name in sorted(set(wanted) & set(members)):
                size, sha = wanted[name]
                if members[name].file_size != size or sha256(_read_member(bundle, name, size)) != sha:
                    problems.append(f"{name} differs from the page the manifest lists")
    except ZIP_ERRORS as exc:
        problems = [f"cannot be read as a zip ({type(exc).__name__})"]
    return [Found("manifest", rel, 0, f"the bundle: {problem}") for problem in problems]


def _read_member(bundle: zipfile.ZipFile, name: str, size: int) -> bytes:
    """A member's bytes, never more than ``size`` + 1 of them (a zip bomb stops there)."""
    with bundle.open(name) as member:
        return member.read(size + 1)


# -- what a page shows -----------------------------------------------------------------------------


def check_page(path: Path, rel: str, stylesheet: str | None, read_page: PageReader | None = None) -> list[Found]:
    """The ``visible`` rules for one built HTML page (``stylesheet`` None: not compared)."""
    if path.stat().st_size > MAX_PAGE_BYTES:
        return [Found("visible", rel, 0, "is too large to be a built page")]
    data = path.read_bytes()
    found = read_page(data) if read_page else page_problems(data.decode("utf-8", "replace"), stylesheet)
    return [Found("visible", rel, line, message) for line, message in found]


def page_problems(document: str, stylesheet: str | None) -> list[tuple[int, str]]:
    """What in a built page could run something, restyle it, or hide a disclaimer or the notice."""
    return problems_in(parse(document), stylesheet)


def problems_in(root: Node, stylesheet: str | None) -> list[tuple[int, str]]:
    """:func:`page_problems` of a parsed page (one parse serves every reader: :mod:`carepages.readback`)."""
    problems = _style_problems(root, stylesheet)
    for node in root.iter():
        problems += _element_problems(node)
    problems += _hidden_problems(root, ())
    return sorted(set(problems))


def _style_problems(root: Node, stylesheet: str | None) -> list[tuple[int, str]]:
    styles = [node for node in root.iter() if node.tag == "style"]
    if len(styles) != 1:
        return [(styles[1].line if styles else 0, f"has {len(styles)} stylesheets, not the one the build writes")]
    if stylesheet is not None and styles[0].text().strip() != stylesheet.strip():
        return [(styles[0].line, "its stylesheet is not the one carepages ships (it may hide the disclaimers)")]
    return []


def _element_problems(node: Node) -> list[tuple[int, str]]:
    problems = []
    if node.tag in FORBIDDEN_ELEMENTS:
        problems.append((node.line, f"holds a <{node.tag}> element, which no built page has"))
    if node.tag == "link" and node.attrs.get("rel", "").lower() != "alternate":
        problems.append((node.line, f"loads a <link rel={node.attrs.get('rel', '')!r}>, which no built page does"))
    if (
        node.tag == "meta"
        and "http-equiv" in node.attrs
        and node.attrs["http-equiv"].lower() != "content-security-policy"
    ):
        problems.append((node.line, f"has a <meta http-equiv={node.attrs['http-equiv'][:40]!r}>"))
    for name in node.attrs:
        if name.startswith("on") or name == "style":
            problems.append((node.line, f"has a {name}= attribute on <{node.tag}>, which no built page has"))
    return problems


def _hidden_problems(node: Node, hiding: tuple[str, ...]) -> list[tuple[int, str]]:
    """Disclaimers and notices inside (or carrying) anything that hides them."""
    here = _hides(node)
    hiding = (*hiding, here) if here else hiding
    problems = []
    what = _protected(node)
    if what and hiding:
        problems.append((node.line, f"{what} is hidden by {hiding[0]}"))
    for child in node.children:
        if isinstance(child, Node):
            problems += _hidden_problems(child, hiding)
    return problems


def _hides(node: Node) -> str | None:
    if node.tag in HIDING_ELEMENTS:
        return f"a <{node.tag}> element"
    for name in HIDING_ATTRIBUTES:
        if name in node.attrs:
            return f"the {name} attribute of <{node.tag}>"
    hidden = HIDING_CLASSES & set(node.attrs.get("class", "").split())
    return f"the class {sorted(hidden)[0]!r} of <{node.tag}>" if hidden else None


def _protected(node: Node) -> str | None:
    """What must stay visible: a disclaimer (``data-disclaimer``/``data-disclaimers``) or the page's notice."""
    if "data-disclaimer" in node.attrs:
        return f"disclaimer {node.attrs['data-disclaimer'][:40]!r}"
    if "data-disclaimers" in node.attrs:
        return "the disclaimers section"
    if {"admonition", "notice"} <= set(node.attrs.get("class", "").split()):
        return "the notice about this translation"
    return None
