"""A small link checker for built output: every link inside a downloaded bundle must lead somewhere.

A bundle (``downloads/<lang>.zip``) is read as a patient gets it, offline: a relative
link must name a file inside the zip (and an in-page ``#fragment`` an element of that
page); an absolute link to the edition's own address online must name a file the
edition publishes. Links to other sites (the Sources) cannot be followed offline and
are not judged; ``mailto:``, ``tel:`` and ``data:`` need no file.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from carepages.htmltree import parse

#: Attributes that lead a reader (or a browser) to another document.
LINK_ATTRIBUTES = ("href", "src")
NO_FILE_SCHEMES = frozenset({"mailto", "tel", "data"})


def broken_links(bundle: Path, edition: Path, base_url: str) -> list[str]:
    """Every link of every HTML page in ``bundle`` that leads nowhere, as ``zip:member: target``."""
    broken = []
    with zipfile.ZipFile(bundle) as archive:
        members = set(archive.namelist())
        for member in sorted(name for name in members if name.endswith(".html")):
            root = parse(archive.read(member).decode("utf-8"))
            ids = {node.attrs["id"] for node in root.iter() if "id" in node.attrs}
            for node in root.iter():
                for attribute in LINK_ATTRIBUTES:
                    target = node.attrs.get(attribute)
                    if target is not None and not _leads_somewhere(target, member, members, ids, edition, base_url):
                        broken.append(f"{bundle.name}:{member}: {target}")
    return broken


def _leads_somewhere(target: str, member: str, members: set[str], ids: set[str], edition: Path, base: str) -> bool:
    parts = urlsplit(target)
    if parts.scheme in NO_FILE_SCHEMES:
        return True
    if parts.scheme in ("http", "https"):
        if not base or not target.startswith(base):
            return True  # another site: not followed offline
        return (edition / unquote(parts.path[len(urlsplit(base).path) :])).is_file()
    if parts.scheme or parts.netloc:
        return False  # file:, javascript:, //host/...: nothing a bundle can hold
    if not parts.path:
        return not parts.fragment or parts.fragment in ids
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(member), unquote(parts.path)))
    return resolved in members
