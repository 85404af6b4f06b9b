"""``carepages review status`` and ``review export``: what is signed, what changed since, the audit trail.

``status`` counts, per page, the translations signed, unsigned, changed since their
sign-off, and open (shown in the source language), and shows each changed message
with the text that was signed and the text now. The ledger keeps hashes, not
texts; the signed text is found where the catalogs live, in the git history
(:func:`signed_text`), and the status says so when it is not there.

``export`` writes every sign-off of the ledgers as CSV or JSON, with its state
(``valid``, ``changed``: the message was edited since, ``stale``: no message of the
catalog fits it any more) and, where the sign-off holds, the approved texts.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from carepages.catalogs import read_catalog
from carepages.checks.context import LocaleContext
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.reviewstate import MessageReview, State
from carepages.signing import open_locale
from carepages.signoff import joined, text_hash

#: How far back in a catalog's git history the signed text of a changed message is looked for.
HISTORY_DEPTH = 200
EXPORT_FORMATS = ("csv", "json")
STATES = (State.SIGNED, State.UNSIGNED, State.CHANGED, State.OPEN)


def review_status(config: Config, locale: str, page: str | None = None) -> list[str]:
    """The lines ``carepages review status`` prints: counts per page, then each change since sign-off."""
    ctx = open_locale(config, locale)
    states, stale = ctx.message_reviews
    domains = sorted(ctx.catalogs) if page is None else [page]
    if page is not None and page not in ctx.catalogs:
        raise CarepagesError(f"no catalog {page!r} in {locale}", hint="name a page, 'disclaimers' or 'ui'")
    rows = [("page", *(str(state) for state in STATES), "stale")]
    for domain in domains:
        counts = [sum(1 for s in states if s.entry.domain == domain and s.state == state) for state in STATES]
        rows.append((domain, *(str(count) for count in counts), str(sum(1 for r in stale if r.page == domain))))
    lines = [f"{locale}: sign-offs in {config.relative(config.locale_dir / locale / 'signoff.tsv')}", *_table(rows)]
    changed = [s for s in states if s.state == State.CHANGED and s.entry.domain in domains]
    if changed:
        lines += ["", "changed since their sign-off (sign them again once checked):"]
        for state in changed:
            lines += _change_lines(config, ctx, state)
    return lines


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join([row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]).rstrip()
        for row in rows
    ]


def _change_lines(config: Config, ctx: LocaleContext, state: MessageReview) -> list[str]:
    """One changed message: where, who signed what when, and the text now."""
    entry, record = state.entry, state.record
    assert record is not None
    lines = [f"{entry.path}:{entry.line}: {entry.domain}:{entry.line}, signed by {record.reviewer} on {record.date}"]
    if text_hash(entry.msgid) != record.msgid_hash:
        lines.append(f"  source was: {joined(tuple(entry.message.previous_id))}")
        lines.append(f"  source now: {entry.msgid}")
    old = signed_text(config, entry.path, entry.msgid, record.msgstr_hash)
    lines.append(f"  signed:     {old if old is not None else '(not found in the git history)'}")
    lines.append(
        f"  now:        {joined(entry.message.string) or '(empty)'}{' (fuzzy)' if entry.message.fuzzy else ''}"
    )
    return lines


def signed_text(config: Config, rel: str, msgid: str, msgstr_hash: str) -> str | None:
    """The msgstr that hashed to ``msgstr_hash`` in an earlier committed version of the catalog, if any."""
    for version in _committed_versions(config.root, rel):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "old.po"
            path.write_text(version, encoding="utf-8")
            try:
                catalog = read_catalog(path, rel)
            except CarepagesError:
                continue
        for message in catalog:
            if message.id and text_hash(joined(message.string)) == msgstr_hash:
                return joined(message.string)
    return None


def _committed_versions(root: Path, rel: str) -> Iterator[str]:
    """The catalog's text in each commit that changed it, newest first (nothing outside a git checkout)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%H", f"-n{HISTORY_DEPTH}", "--", rel],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return
    for revision in log.stdout.split() if log.returncode == 0 else []:
        shown = subprocess.run(
            ["git", "show", f"{revision}:./{rel}"], cwd=root, capture_output=True, timeout=60, check=False
        )
        if shown.returncode == 0:
            yield shown.stdout.decode("utf-8", errors="replace")


# -- export ------------------------------------------------------------------------------------

EXPORT_FIELDS = ("locale", "page", "msgid_sha256", "msgstr_sha256", "reviewer", "date", "note", "state")


def export_signoffs(config: Config, locales: list[str], output: str = "csv") -> str:
    """Every sign-off of the selected locales' ledgers, with its state, as CSV or JSON."""
    if output not in EXPORT_FORMATS:
        raise CarepagesError(f"unknown format {output!r}", hint="use csv or json")
    rows = [row for locale in locales for row in _export_rows(open_locale(config, locale))]
    if output == "json":
        return json.dumps({"signoffs": rows}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*EXPORT_FIELDS, "msgid", "msgstr"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _export_rows(ctx: LocaleContext) -> Iterator[dict[str, str]]:
    states, _stale = ctx.message_reviews
    holding = {s.record: s for s in states if s.record is not None}
    for record in ctx.ledger.records if ctx.ledger else ():
        state = holding.get(record)
        kind = "stale" if state is None else "valid" if state.state == State.SIGNED else "changed"
        texts = ("", "")
        if state is not None and kind == "valid":
            texts = (state.entry.msgid, joined(state.entry.message.string))
        yield {"locale": ctx.locale, **record.as_dict(), "state": kind, "msgid": texts[0], "msgstr": texts[1]}
