"""Link targets: a translation links to exactly what its source links to.

Targets are read from the message as the page renders it (``a[href]``,
``img[src]``, also in raw HTML, plus URLs written as plain text), not found with a
regular expression over the Markdown, so ``[text](url "title")``, autolinks, images
and reference links (``[text][label]``, resolved against the page's own
definitions) all count by the target they lead to, and text that merely looks
like a link does not. A web address written as text counts wherever it stands, in a
link's text too: a link to the right page shown as ``www.cure.example`` gives the
reader an address the source never gave; so does ``heilung.de`` or an e-mail address
(:func:`carepages.render.body.address_spans`), and so do the addresses written in an
interface string, which the page frame shows as text. Targets are compared as
multisets: a translation may reorder its links (word order differs between
languages) but not add, drop or change one. A changed link on a medical page
may send a patient to a clinic's advertisement instead of the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.render.body import bare_urls


def multiset_difference(source: list[str], translation: list[str]) -> tuple[list[str], list[str]]:
    """(missing from the translation, added by it), each sorted, counting repeats."""
    have, want = Counter(translation), Counter(source)
    return sorted((want - have).elements()), sorted((have - want).elements())


def describe_difference(missing: list[str], added: list[str]) -> str:
    """'X changed to Y' for one of each, otherwise the lists of missing and added items."""
    if len(missing) == 1 and len(added) == 1:
        return f"{missing[0]} changed to {added[0]}"
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if added:
        parts.append("added " + ", ".join(added))
    return "; ".join(parts)


def check_links(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        rendered = ctx.rendered(entry)
        if rendered is not None:
            wanted, found = rendered[0].links, rendered[1].links
        else:  # an interface string (the frame shows it as text): the addresses written in each form
            forms = [(tuple(bare_urls([source])), tuple(bare_urls([text]))) for source, text in entry.pairs()]
            wanted, found = next((form for form in forms if form[0] != form[1]), ((), ()))
        if wanted == found:  # the same targets in the same order (most messages: none at all)
            continue
        missing, added = multiset_difference(list(wanted), list(found))
        if missing or added:
            yield Issue(
                entry.path,
                entry.line,
                f"link targets differ from the source: {describe_difference(missing, added)}: "
                "keep every link target of the source unchanged and translate only the link text",
                entry,
            )
