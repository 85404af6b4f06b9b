#!/usr/bin/env python3
"""Benchmark the pipeline on a synthetic corpus, against a floor measured in the same run.

    python scripts/benchmark.py                      # 200 pages x 10 locales, 3 repetitions
    python scripts/benchmark.py --pages 50 --locales 4 --repeat 5 --jobs 2
    python scripts/benchmark.py --pin 10             # also: 10 % of the pages served pinned

It writes a project into a temporary folder: pages of realistic length (headings,
paragraphs, lists, tables, notes, links, a page-local disclaimer on some) and the
shared disclaimers, with every catalog fully translated by a pseudo-translation
that keeps the Markdown intact. Then it times, each step in a fresh process:

* ``extract`` and ``update``;
* a full ``build`` (empty dist/), with the requested jobs and with ``-j 1``;
* a no-op rebuild (nothing changed);
* ``check``, if ``carepages.checks`` exists;
* the *floor*: plain Python-Markdown rendering of every page once per locale
  (source text, same extensions), writing one HTML file each, in one process;
* with ``--pin PERCENT``, pinning: the corpus is committed to a git repository,
  then an English edit to the own disclaimer of that share of the pages is
  extracted, updated and committed, so that each of them is served pinned in every
  locale. Timed: the pinning alone (the verdicts from the build's cache, then the
  search with nothing judged before: git log, reading the revision, judging it;
  with the requested jobs and with ``-j 1``), which is what pinning adds to a
  build (the pinned pages are rendered instead of the current ones); a whole full
  build of the pinned corpus; and a no-op rebuild.

Times are medians over the repetitions, measured inside the child process (so
interpreter start-up is excluded; it is reported separately), with the processor
time of the child and its workers beside them (a figure that a busy machine
disturbs less). Peak memory is the
child's maximum resident set (``resource.getrusage``), for the main process and
for its largest worker. Targets: full build within 1.5x the floor; no-op rebuild
under 5 % of a full build. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LOCALE_POOL = ("es", "fr", "de", "pt_BR", "ar", "zh_CN", "it", "nl", "pl", "ja", "ru", "tr", "he", "ko", "sv", "fi")
_VOCABULARY = (
    "treatment injection joint knee hip shoulder cartilage tendon clinic doctor study evidence risk cost pain "
    "swelling recovery cells marrow tissue therapy question answer result benefit trial patient option surgery "
    "exercise physiotherapy medicine infection needle imaging ultrasound guideline approval country regulation"
)
WORDS = tuple(_VOCABULARY.split())
SHARED_DISCLAIMERS = ("not-medical-advice", "investigational", "results-vary", "emergency")


# -- the synthetic corpus ------------------------------------------------------------------------


def sentence(rng: random.Random, words: int = 14) -> str:
    chosen = [rng.choice(WORDS) for _ in range(rng.randint(words - 5, words + 5))]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def page_text(index: int, rng: random.Random) -> str:
    """About the length and mix of the real pages (8 KB): sections with lists, tables and notes."""
    title = f"Stem cell therapy topic {index}"
    parts = [
        f"---\ntitle: {title}\ndescription: {sentence(rng)}\nlast_reviewed: 2026-11-20\n---\n",
        f"# {title}\n",
        f"{paragraph(rng)} See [the overview](page-000.html) and [the register](https://example.org/r{index}).\n",
    ]
    for section in range(5):
        parts.append(f"## Section {section} about {rng.choice(WORDS)}\n")
        parts += [paragraph(rng) + "\n" for _ in range(2)]
        parts.append("\n".join(f"- **{rng.choice(WORDS).title()}.** {sentence(rng)}" for _ in range(5)) + "\n")
        if section % 2 == 0:
            rows = [f"| {rng.choice(WORDS)} | {sentence(rng, 6)} | {sentence(rng, 6)} |" for _ in range(4)]
            parts.append("| | First | Second |\n|---|---|---|\n" + "\n".join(rows) + "\n")
        if section == 3:
            parts.append(f'!!! note "Good to know"\n    {sentence(rng)}\n')
    if index % 3 == 0:
        parts.append(f"<!-- disclaimer: local-{index} -->\n{sentence(rng)}\n")
    return "\n".join(parts)


def write_corpus(root: Path, pages: int, locales: list[str]) -> None:
    rng = random.Random(20261120)
    (root / "source").mkdir(parents=True)
    listed = ", ".join(f'"{code}"' for code in locales)
    (root / "pyproject.toml").write_text(
        # Handouts off: the benchmark measures the pipeline against Python-Markdown, not WeasyPrint's printing
        # (scripts/measure_handouts.py measures that).
        f'[project]\nname = "benchmark-clinic"\n\n[tool.carepages]\nlocales = [{listed}]\nhandouts = false\n',
        encoding="utf-8",
    )
    shared = "\n".join(f"<!-- disclaimer: {ident} -->\n{paragraph(rng)}\n" for ident in SHARED_DISCLAIMERS)
    (root / "source" / "_disclaimers.md").write_text(shared, encoding="utf-8")
    for index in range(pages):
        (root / "source" / f"page-{index:03d}.md").write_text(page_text(index, rng), encoding="utf-8")


_PROTECTED = re.compile(r"\]\([^)]*\)|`[^`]*`|<[^>]*>|https?://\S+|%\([a-z]+\)s|\*\*|!!!")
_ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


_FINAL_PUNCTUATION = re.compile(r"[.?!:…]*$")


def pseudo_translate(text: str, locale: str) -> str:
    """Accented letters outside link targets, code and placeholders, plus a locale tag: Markdown intact.

    The tag goes before the final punctuation and has no ``_`` (``⟦pt-BR⟧``), so the
    corpus is clean for ``carepages check``: its time is measured on a realistic
    corpus, not on thousands of genuine findings.
    """
    pieces, last = [], 0
    for match in _PROTECTED.finditer(text):
        pieces += [text[last : match.start()].translate(_ACCENTS), match.group(0)]
        last = match.end()
    pieces.append(text[last:].translate(_ACCENTS))
    translated = "".join(pieces)
    end = _FINAL_PUNCTUATION.search(translated).start()  # type: ignore[union-attr]
    tag = locale.replace("_", "-")
    return f"{translated[:end]} ⟦{tag}⟧{translated[end:]}"


def translate_all(root: Path) -> None:
    from carepages.catalogs import read_catalog, render_catalog
    from carepages.config import load_config
    from carepages.fsutil import write_if_changed

    config = load_config(root)
    for path in sorted(config.locale_dir.glob("*/LC_MESSAGES/*.po")):
        locale = path.parent.parent.name
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = message.id if message.id == ":" else pseudo_translate(message.id, locale)
        write_if_changed(path, render_catalog(catalog, config.locations))


# -- one measured step (run in a child process) ------------------------------------------------------


def floor(root: Path) -> None:
    """Plain Python-Markdown: every page once per locale, one HTML file each, one process."""
    import markdown

    from carepages.config import load_config
    from carepages.markdown_ext import MARKDOWN_EXTENSIONS

    config = load_config(root)
    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    out = root / "floor"
    bodies = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(config.source_dir.glob("page-*.md"))]
    for locale in (config.source_language, *config.locales):
        (out / locale).mkdir(parents=True, exist_ok=True)
        for name, body in bodies:
            md.reset()
            (out / locale / f"{name}.html").write_text(md.convert(body), encoding="utf-8")


def step_function(step: str, root: Path, jobs: int | None) -> Callable[[], object]:
    """The call that a step times; imports happen here, outside the timed region."""
    from carepages.config import load_config

    config = load_config(root)
    if step == "extract":
        from carepages.extract import run_extract

        return lambda: run_extract(config)
    if step == "update":
        from carepages.update import run_update

        return lambda: run_update(config)
    if step == "build":
        from carepages.build import run_build

        return lambda: _checked(run_build(config, jobs=jobs))
    if step == "pin":
        return _pin_search(config, jobs)
    if step == "check":
        import io

        from carepages.gate import run_check

        return lambda: run_check(config, None, stream=io.StringIO())
    import markdown  # noqa: F401 (the floor's import, outside the timed region like the others)

    return lambda: floor(root)


def _pin_search(config: object, jobs: int | None) -> Callable[[], object]:
    """Pinning alone: the verdicts from the build's cache, then the search with nothing judged before.

    What a build pays for pinning on top of its other work (the pinned pages are rendered
    instead of the current ones, which costs the same).
    """
    from carepages.assess import load_run
    from carepages.gate import assess
    from carepages.parallel import LazyRunner, available_cores
    from carepages.pinning import PinStore, resolve_pins

    run = load_run(config)  # type: ignore[arg-type]
    runner = LazyRunner(jobs or available_cores(), _init_pin_worker, (run,))
    verdicts = {code: a.verdict for code, a in assess(run, list(run.config.locales), runner).items()}

    def search() -> object:
        with runner:
            return resolve_pins(run, verdicts, PinStore(None, ""), runner)

    return search


def _init_pin_worker(run: object) -> None:
    from carepages.gate import init_worker

    init_worker(run)  # type: ignore[arg-type]


def _checked(summary: object) -> object:
    """Every page is published (current or pinned): a corpus that withholds something measures the wrong thing."""
    assert not summary.withheld, summary.report_lines()  # type: ignore[attr-defined]
    return summary


def run_step(step: str, root: Path, jobs: int | None) -> dict[str, float]:
    """Time one step in this process; return seconds, peak memory in MiB and, for a build, the pages pinned."""
    call = step_function(step, root, jobs)
    start = time.perf_counter()
    done = call()
    seconds = time.perf_counter() - start
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime  # start-up included; robust under load
    pinned = float(len(getattr(done, "pinned", ())))
    if hasattr(done, "verdicts"):  # the pinning step: its pinned pages
        pinned = float(sum(len(verdict.pinned_pages) for verdict in done.verdicts.values()))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": me.ru_maxrss / 1024,
        "worker_peak_mib": children.ru_maxrss / 1024,
        "pinned": pinned,
    }


def measure(step: str, root: Path, jobs: int | None = None, cache: Path | None = None) -> dict[str, float]:
    """Run a step in a fresh interpreter, so each measurement starts cold and memory is its own.

    ``cache`` is the carepages cache folder the step uses (a fresh one by default: nothing reused).
    """
    command = [sys.executable, __file__, "--step", step, "--project", str(root)]
    if jobs:
        command += ["--jobs", str(jobs)]
    cache = cache or Path(tempfile.mkdtemp(prefix="cache-", dir=root.parent))
    env = {**os.environ, "CAREPAGES_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


# -- the report ------------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> None:
    locales = list(LOCALE_POOL[: args.locales])
    base = Path(tempfile.mkdtemp(prefix="carepages-bench-"))
    root = base / "project"
    try:
        write_corpus(root, args.pages, locales)
        results: dict[str, dict[str, float]] = {}
        results["extract"] = median_of([measure("extract", root) for _ in range(args.repeat)])
        results["update"] = measure("update", root)  # creates the catalogs: measured once
        translate_all(root)
        results["floor"] = median_of([measure("floor", root) for _ in range(args.repeat)])
        results["build"] = median_of([_full_build(root, args.jobs) for _ in range(args.repeat)])
        results["build -j 1"] = median_of([_full_build(root, 1) for _ in range(args.repeat)])
        cache = base / "cache"
        _full_build(root, args.jobs, cache)
        results["no-op build"] = median_of([measure("build", root, args.jobs, cache) for _ in range(args.repeat)])
        results["check"] = median_of([measure("check", root) for _ in range(args.repeat)])
        if args.pin:
            results.update(pin_benchmark(root, base, args))
        report(args, locales, results)
    finally:
        if args.keep:
            print(f"corpus kept in {root}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def _full_build(root: Path, jobs: int | None, cache: Path | None = None) -> dict[str, float]:
    """A build into an empty dist/, with a fresh cache folder unless ``cache`` is given."""
    shutil.rmtree(root / "dist", ignore_errors=True)
    return measure("build", root, jobs, cache)


# -- pinning --------------------------------------------------------------------------------------


def git(root: Path, *args: str, day: str = "2026-11-20") -> None:
    """git with a fixed identity and date, outside the user's configuration: the same corpus, the same commits."""
    when = f"{day}T10:00:00+00:00"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for role in ("AUTHOR", "COMMITTER"):
        env |= {f"GIT_{role}_NAME": "Benchmark", f"GIT_{role}_EMAIL": "bench@example.org", f"GIT_{role}_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def edit_disclaimers(root: Path, share: float) -> list[str]:
    """Add words to the own disclaimer of ``share`` percent of the pages (only some pages have one)."""
    pages = sorted(root.glob("source/page-*.md"))
    wanted = round(len(pages) * share / 100)
    carrying = [page for page in pages if "<!-- disclaimer: local-" in page.read_text(encoding="utf-8")]
    if wanted > len(carrying):
        raise SystemExit(f"--pin {share:g}: only {len(carrying)} of {len(pages)} pages have a disclaimer of their own")
    for page in carrying[:wanted]:
        lines = page.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("<!-- disclaimer: local-")) + 1
        lines[at] = lines[at].rstrip(".") + " in most cases."
        page.write_text("\n".join(lines), encoding="utf-8")
    return [page.stem for page in carrying[:wanted]]


def pin_benchmark(root: Path, base: Path, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Commit the corpus, commit an English edit to some pages' disclaimers, and time builds that pin them."""
    from carepages.config import load_config
    from carepages.extract import run_extract
    from carepages.update import run_update

    (root / ".gitignore").write_text("dist/\n.dist-build.lock\nfloor/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "translated")
    edited = edit_disclaimers(root, args.pin)
    config = load_config(root)
    run_extract(config)
    run_update(config)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "English edits", day="2026-11-25")
    label = f"pin {args.pin:g} %"
    judged = base / "judged"
    shutil.rmtree(judged, ignore_errors=True)
    _full_build(root, args.jobs, judged)  # the build's cache, for the verdicts the pinning steps start from
    results = {
        f"pinning, {label}": median_of([measure("pin", root, args.jobs, judged) for _ in range(args.repeat)]),
        f"  -j 1, {label}": median_of([measure("pin", root, 1, judged) for _ in range(args.repeat)]),
        f"build, {label}": median_of([_full_build(root, args.jobs) for _ in range(args.repeat)]),
        f"  no-op, {label}": median_of([measure("build", root, args.jobs, judged) for _ in range(args.repeat)]),
    }
    expected = len(edited) * len(config.locales)
    for name, values in results.items():
        assert values["pinned"] == expected, f"{name}: {values['pinned']:g} pages pinned, {expected} expected"
    return results


def report(args: argparse.Namespace, locales: list[str], results: dict[str, dict[str, float]]) -> None:
    from carepages.parallel import available_cores

    jobs = args.jobs or available_cores()
    floor_s = results["floor"]["seconds"]
    full_s = results["build"]["seconds"]
    print(f"corpus: {args.pages} pages x {len(locales)} locales (+ source), {args.repeat} repetition(s), jobs={jobs}")
    print(f"{'step':<22}{'median s':>10}{'wall s':>9}{'cpu s':>8}{'x floor':>9}{'peak MiB':>10}{'worker MiB':>12}")
    for name, values in results.items():
        print(
            f"{name:<22}{values['seconds']:>10.3f}{values['wall']:>9.3f}{values['cpu']:>8.2f}"
            f"{values['seconds'] / floor_s:>9.2f}{values['peak_mib']:>10.1f}{values['worker_peak_mib']:>12.1f}"
        )
    noop = results["no-op build"]["seconds"]
    full_met = "met" if full_s <= 1.5 * floor_s else "MISSED"
    noop_met = "met" if noop < 0.05 * full_s else "MISSED"
    print(f"target: full build <= 1.5 x floor: {full_s / floor_s:.2f} x -> {full_met}")
    print(f"target: no-op < 5 % of full build: {100 * noop / full_s:.1f} % -> {noop_met}")
    full_cpu, single = results["build"]["cpu"], results["build -j 1"]["seconds"]
    for name in [name for name in results if name.startswith("pinning, ")]:
        label = name.removeprefix("pinning, ")
        alone, alone_1 = results[name], results[f"  -j 1, {label}"]
        build = results[f"build, {label}"]
        print(f"pinning: {int(alone['pinned'])} page-locales served pinned ({label}); the search and judging alone:")
        print(
            f"  {alone['seconds']:.3f} s elapsed = {100 * alone['seconds'] / full_s:.1f} % of the full build; "
            f"-j 1: {alone_1['seconds']:.3f} s = {100 * alone_1['seconds'] / single:.1f} % of the full build -j 1"
        )
        extra = build["cpu"] - full_cpu
        share = 100 * extra / full_cpu
        print(f"  the whole pinned build: {extra:+.2f} s processor time against the full build ({share:+.1f} %)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages in the corpus (default 200)")
    parser.add_argument("--locales", type=int, default=10, help=f"locales, at most {len(LOCALE_POOL)} (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per step; medians are reported (default 3)")
    parser.add_argument("--jobs", type=int, default=None, help="build workers (default: available cores)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus")
    parser.add_argument(
        "--pin", type=float, default=0, metavar="PERCENT",
        help="also time pinning: an English edit leaves this share of the pages to be served pinned (default: off)",
    )  # fmt: skip
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.project, args.jobs)))
        return 0
    if not 1 <= args.locales <= len(LOCALE_POOL):
        parser.error(f"--locales must be from 1 to {len(LOCALE_POOL)}")
    benchmark(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
