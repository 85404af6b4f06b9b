"""Clinic fields: a translation names exactly the ``{{clinic.…}}`` fields its source names.

A page's clinic fields (``{{clinic.phone}}``, ``{{clinic.regulator}}``, see
:data:`carepages.segments.FIELD`) are replaced by each clinic's own value when its
edition is built. A translation that drops one loses the clinic's phone number from
the page; one that alters it (``{{ clinic.phone }}``, ``{{clínica.teléfono}}``)
would print the braces to patients. Both are errors that withhold the page, like a
changed link or number. Fields are compared as multisets: a translation may move
them within the sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.catalogs import UI_DOMAIN
from carepages.checks.context import LocaleContext
from carepages.checks.links import describe_difference, multiset_difference
from carepages.checks.model import Issue
from carepages.segments import field_tokens


def check_clinic_fields(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        if entry.domain == UI_DOMAIN:
            continue  # interface strings have %(name)s placeholders: the placeholders check
        for source, translation in entry.pairs():
            wanted, _ = field_tokens(source)
            found, odd = field_tokens(translation)
            if sorted(wanted) == sorted(found) and not odd:
                continue
            missing, added = multiset_difference(_braced(wanted), [*_braced(found), *odd])
            yield Issue(
                entry.path,
                entry.line,
                f"clinic fields differ from the source: {describe_difference(missing, added)}: keep every "
                "{{clinic.…}} of the source exactly as it is (each clinic's value is put in its place)",
                entry,
            )
            break


def _braced(names: list[str]) -> list[str]:
    return [f"{{{{clinic.{name}}}}}" for name in names]
