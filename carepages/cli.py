"""The ``carepages`` command line: parse, load the configuration, call one function, report.

Each subcommand is a thin wrapper; the work is done by library functions that return
summaries. Problems in the user's input (:class:`CarepagesError`) become GNU-style
messages and exit status 2; a traceback is never what a user sees for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from carepages import __version__
from carepages.config import Config, check_locale, load_config
from carepages.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CarepagesError


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

    summary = run_update(config, args.locales)
    _report(args, "update", summary)
    return EXIT_OK


def cmd_stats(config: Config, args: argparse.Namespace) -> int:
    from carepages.stats import collect_stats, format_json, format_table
    from carepages.update import read_templates

    locales = config.select_locales(args.locales)
    stats = collect_stats(config, read_templates(config), locales)
    print(format_json(stats) if args.format == "json" else format_table(stats))
    return EXIT_OK


def cmd_build(config: Config, args: argparse.Namespace) -> int:
    from carepages.build import run_build

    summary = run_build(config, args.locales, strict=args.strict, jobs=args.jobs, progress=_progress(args))
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


def _progress(args: argparse.Namespace) -> bool:
    """Progress only for a person watching: on a terminal, and not with --quiet."""
    return not args.quiet and sys.stderr.isatty()


def _report(args: argparse.Namespace, verb: str, summary: object) -> None:
    if args.quiet:
        return
    for attribute, label in (("created", "created"), ("updated", "updated"), ("removed", "removed")):
        for rel in getattr(summary, attribute):
            print(f"{label}: {rel}")
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
    update.set_defaults(func=cmd_update)

    stats = sub.add_parser(
        "stats",
        help="show translated / fuzzy / untranslated counts per locale and page",
        description="Translation progress per locale and page.",
    )
    _add_locales(stats)
    stats.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    stats.set_defaults(func=cmd_stats)


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
        "--strict", action="store_true", help="fail (exit 1) when carepages check would fail: on any error"
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    config: Config | None = None
    try:
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
