"""The ``carepages`` command line: parse, load the configuration, call one function, report.

Each subcommand is a thin wrapper; the work is done by library functions that return
summaries. Problems in the user's input (:class:`CarepagesError`) become GNU-style
messages and exit status 2; a traceback is never what a user sees for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from carepages import __version__
from carepages.config import Config, load_config
from carepages.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CarepagesError
from carepages.locales import check_locale


def _locale_arg(value: str) -> str:
    try:
        return check_locale(value)
    except CarepagesError as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def _add_locales(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-l",
        "--locale",
        dest="locales",
        action="append",
        type=_locale_arg,
        metavar="LOCALE",
        help="work on this locale only (repeatable; default: every configured locale)",
    )


def cmd_extract(config: Config, args: argparse.Namespace) -> int:
    from carepages.extract import run_extract

    summary = run_extract(config)
    for warning in summary.warnings:
        print(warning.format(), file=sys.stderr)
    _report(args, "extract", summary)
    return EXIT_OK


def cmd_update(config: Config, args: argparse.Namespace) -> int:
    from carepages.update import run_update

    summary = run_update(config, args.locales, args.jobs)
    _report(args, "update", summary)
    return EXIT_OK


def cmd_stats(config: Config, args: argparse.Namespace) -> int:
    from carepages.gate import served_pages
    from carepages.stats import collect_stats, format_json, format_table
    from carepages.update import template_paths

    locales = config.select_locales(args.locales)
    stats = collect_stats(config, template_paths(config), locales, served_pages(config, locales))
    print(format_json(stats) if args.format == "json" else format_table(stats))
    return EXIT_OK


def cmd_diff(config: Config, args: argparse.Namespace) -> int:
    from carepages.diff import run_diff

    print("\n".join(run_diff(config, args.locale, args.page)))
    return EXIT_OK


def cmd_build(config: Config, args: argparse.Namespace) -> int:
    from carepages.builder import run_build

    summary = run_build(
        config, args.locales, clinics=args.clinics, strict=args.strict, jobs=args.jobs, progress=_progress(args)
    )
    if not args.quiet:
        for line in summary.report_lines():
            print(line)
    return EXIT_FAILED if summary.failed else EXIT_OK


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    from carepages.gate import run_check

    return run_check(
        config,
        args.locales,
        strict=args.strict,
        output=args.format,
        list_checks=args.list,
        skip=args.skip or (),
        quiet=args.quiet,
    )


def cmd_review(config: Config, args: argparse.Namespace) -> int:
    from carepages import reviewing, signing

    if args.action == "status":
        print("\n".join(reviewing.review_status(config, _one_locale(config, args), args.page)))
        return EXIT_OK
    if args.action == "export":
        sys.stdout.write(reviewing.export_signoffs(config, config.select_locales(args.locales), args.format))
        return EXIT_OK
    locale = _one_locale(config, args)
    if args.action == "migrate":
        plan = signing.plan_migration(config, locale)
    else:
        plan = signing.plan_signing(
            config, locale, args.reviewer, page=args.page, message=args.message, note=args.note, day=args.date
        )
    return signing.sign_interactively(config, plan, args.yes)


def _one_locale(config: Config, args: argparse.Namespace) -> str:
    if not args.locales or len(args.locales) != 1:
        raise CarepagesError("name one locale with -l LOCALE", hint=f"configured: {', '.join(config.locales)}")
    return config.select_locales(args.locales)[0]


def cmd_verify(args: argparse.Namespace) -> int:
    from carepages.verify import run_verify

    return run_verify(args.path, args.manifest)


def _progress(args: argparse.Namespace) -> bool:
    """Progress only for a person watching: on a terminal, and not with --quiet."""
    return not args.quiet and sys.stderr.isatty()


def _report(args: argparse.Namespace, verb: str, summary: object) -> None:
    if args.quiet:
        return
    for attribute in ("created", "updated", "removed", "normalised"):
        for rel in getattr(summary, attribute, ()):
            print(f"{attribute}: {rel}")
    print(f"{verb}: {summary.describe()}")  # type: ignore[attr-defined]


Command = Callable[[Config, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a ``--help`` for the tool and for each subcommand."""
    parser = argparse.ArgumentParser(
        prog="carepages",
        description=(
            "Publish patient-information pages in many languages without losing their disclaimers: "
            "Markdown pages -> gettext catalogs -> HTML and text pages, with a check for CI."
        ),
        epilog="Run 'carepages COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"carepages {__version__}")
    _add_global_options(parser, argparse.SUPPRESS)
    parser.set_defaults(project=None, quiet=False)
    sub = Subparsers(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    _add_catalog_commands(sub)
    _add_build_command(sub)
    _add_check_command(sub)
    _add_review_command(sub)
    _add_verify_command(sub)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--project and -q, accepted before the command and after it (``carepages build -q --project DIR``).

    Each parser's default is SUPPRESS, so a value given in one place is never reset by the other.
    """
    parser.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        default=default,
        help="the project folder (default: the nearest folder upwards with a pyproject.toml that has [tool.carepages])",
    )
    parser.add_argument("-q", "--quiet", action="store_true", default=default, help="print only problems")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, argparse.SUPPRESS)
    return common


class Subparsers:
    """Subcommand parsers that all accept the global options after the command too."""

    def __init__(self, action: argparse._SubParsersAction) -> None:
        self.action = action

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self.action.add_parser(name, parents=[_common()], **kwargs)  # type: ignore[arg-type]
        return parser


def _add_catalog_commands(sub: Subparsers) -> None:
    """extract, update and stats: the translators' side of the pipeline."""
    extract = sub.add_parser(
        "extract",
        help="write the .pot templates from the Markdown pages",
        description="Extract every page under the source folder into locale/templates/<page>.pot "
        "(and the shared disclaimers into disclaimers.pot). Unchanged templates are not rewritten.",
    )
    extract.set_defaults(func=cmd_extract)

    update = sub.add_parser(
        "update",
        help="create or merge each locale's .po catalogs from the templates",
        description="Create missing catalogs and merge template changes into existing ones. "
        "Changed messages become fuzzy with their previous msgid; removed ones are kept obsolete.",
    )
    _add_locales(update)
    update.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N", help="parallel workers (default: available cores)"
    )
    update.set_defaults(func=cmd_update)

    stats = sub.add_parser(
        "stats",
        help="show translated / fuzzy / untranslated counts per locale and page",
        description="Translation progress per locale and page.",
    )
    _add_locales(stats)
    stats.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    stats.set_defaults(func=cmd_stats)

    diff = sub.add_parser(
        "diff",
        help="show each fuzzy message's English change, its translation, and how its page is served meanwhile",
        description="Each fuzzy message (of one page): its English change since #|, translation, and page's state; "
        "also each disclaimer carried over (fuzzy flag cleared, translation unchanged).",
    )
    diff.add_argument("-l", "--locale", required=True, type=_locale_arg, metavar="LOCALE", help="the locale")
    diff.add_argument("page", nargs="?", help="one page (as in source/<page>.md); default: every catalog")
    diff.set_defaults(func=cmd_diff)


def _add_build_command(sub: Subparsers) -> None:
    build = sub.add_parser(
        "build",
        help="render every published page of every locale into dist/",
        description="Render HTML and plain-text pages, the index, the manifest and per-locale bundles "
        "into the dist folder, exactly as the verdict publishes them: a page with an error in its "
        "translation, or translated below the publishing threshold, is withheld in that locale (a "
        "locale whole when the error is in what every page shows), and the build says why.",
    )
    _add_locales(build)
    build.add_argument(
        "--clinic",
        dest="clinics",
        action="append",
        metavar="ID",
        help="build only this clinic's edition (clinics/ID.toml; repeatable; default: every clinic)",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) when carepages check would fail, or when no PDF handouts can be made",
    )
    build.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N", help="parallel workers (default: available cores)"
    )
    build.set_defaults(func=cmd_build)


def _add_check_command(sub: Subparsers) -> None:
    check = sub.add_parser(
        "check",
        help="the CI gate: disclaimers, links, numbers and structure in catalogs and built pages",
        description="Check every locale's catalogs and built pages. Exit 0 without errors (warnings allowed "
        "unless --strict), 1 with errors, 2 for usage or configuration errors.",
    )
    _add_locales(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format", choices=("text", "json", "github", "junit"), default="text", help="output format (default: text)"
    )
    check.add_argument("--list", action="store_true", help="list every check with its code and explanation")
    check.add_argument(
        "--skip",
        action="append",
        metavar="CODE",
        help="do not run this check of the built output (repeatable: 'built', 'built-disclaimer'; the pre-commit "
        "hook skips them because a translator's machine may have no dist/; CI never should)",
    )
    check.set_defaults(func=cmd_check)


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date such as 2026-11-20") from exc


def _add_review_command(sub: Subparsers) -> None:
    review = sub.add_parser(
        "review",
        help="medical sign-off: status, sign, export (audit trail), migrate review.toml",
        description="Record which translations a medical reviewer approved (locale/LOCALE/signoff.tsv). A sign-off "
        "holds while its message's msgid and msgstr are unchanged; a page shows the draft notice until every "
        "translation it shows is signed.",
    )
    actions = Subparsers(review.add_subparsers(dest="action", metavar="ACTION", required=True))
    status = actions.add_parser("status", help="signed / unsigned / changed / open counts per page, and changes")
    _add_locales(status)
    status.add_argument("page", nargs="?", help="one page (or disclaimers, ui)")
    sign = actions.add_parser("sign", help="sign the current translations (shown first; gate-clean ones only)")
    _add_locales(sign)
    sign.add_argument("--reviewer", required=True, metavar="NAME", help="the medical reviewer's name")
    which = sign.add_mutually_exclusive_group()
    which.add_argument("--page", metavar="PAGE", help="sign one page's catalog (or disclaimers, ui)")
    which.add_argument("--message", metavar="PAGE:LINE", help="sign one message: its page and the line of its msgid")
    sign.add_argument("--note", default="", help="a note kept with each sign-off")
    sign.add_argument("--date", type=_date_arg, metavar="YYYY-MM-DD", help="the day of the review (default: today)")
    export = actions.add_parser("export", help="every sign-off with its state, as CSV or JSON (the audit trail)")
    _add_locales(export)
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    migrate = actions.add_parser("migrate", help="turn a review.toml that says reviewed into sign-offs, remove it")
    _add_locales(migrate)
    for parser in (sign, migrate):
        parser.add_argument("--yes", action="store_true", help="sign without asking (after showing every message)")
    review.set_defaults(func=cmd_review)


def _add_verify_command(sub: Subparsers) -> None:
    verify = sub.add_parser(
        "verify",
        help="check a download (a dist/ folder or a <lang>.zip) against its manifest, offline",
        description="Compare every file of a downloaded dist/ folder, or one bundle, with the manifest.json of its "
        "build (size and sha256; nothing unlisted), and check that every page shows its disclaimers. Needs no "
        "project. Verify the manifest's signature first (ssh-keygen -Y verify, see the README). Exit 0 when "
        "everything matches, 1 when anything does not.",
    )
    verify.add_argument("path", type=Path, metavar="PATH", help="a dist/ folder, or a bundle such as es.zip")
    verify.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        help="the build's manifest.json (default: inside the folder; for a zip, beside it or one folder up)",
    )
    verify.set_defaults(func=cmd_verify, standalone=True)


#: The cyclic collector's thresholds while a command runs (Python's are 700, 10, 10).
COLLECTOR_THRESHOLDS = (10_000, 10, 10)


@contextlib.contextmanager
def collector_thresholds(thresholds: tuple[int, int, int] = COLLECTOR_THRESHOLDS) -> Iterator[None]:
    """Let the cyclic collector run less often while a command runs (workers forked meanwhile inherit it).

    A build makes millions of short-lived objects (catalog entries, Markdown elements,
    check rows) beside a large set that lives for the whole run (the parsed sources,
    the kept block parses). With Python's thresholds a full collection walked that
    whole set twelve times while three locales of the benchmark's 200 pages were
    assessed, and once with these; a whole ``build -j 1`` of that corpus took 0.89 times
    the CPU time (paired runs). Almost nothing the build makes is cyclic garbage, and
    what is waits a little longer. The old thresholds are restored after.
    """
    old = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    with collector_thresholds():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    config: Config | None = None
    try:
        if getattr(args, "standalone", False):  # verify: a clinic's download, no project needed
            status = args.func(args)
            sys.stdout.flush()
            return int(status)
        config = load_config(args.project)
        func: Command = args.func
        status = func(config, args)
        sys.stdout.flush()
        return status
    except CarepagesError as exc:
        print(exc.format(config.root if config else Path.cwd()), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``carepages stats | head -1``): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("carepages: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
