#!/usr/bin/env python3
"""Time every step of the pipeline as a whole process, against a floor measured in the same run.

    python scripts/benchmark.py                        # 200 pages x 10 locales, medians of 5 runs
    python scripts/benchmark.py --pages 1000 --locales 20 --repeat 3 --jobs 2
    python scripts/benchmark.py --sphinx-intl PATH     # time sphinx-intl's update on a copy, as a peer
    python scripts/benchmark.py --pin 10               # also: 10 % of the pages served pinned
    python scripts/benchmark.py --keep --only 'full build' 'no-op build' # some steps; keep the corpus
    python scripts/benchmark.py --corpus KEPT --only 'full build'        # time a kept corpus again

The corpus (written to a temporary folder) has pages of realistic length and mix
(front matter, headings, paragraphs, lists, tables, notes, links, a page-local
disclaimer on every third page) and pseudo-translated catalogs: 90 % translated,
3 % fuzzy with a previous msgid (``#|``), 7 % empty; disclaimers and interface
strings are all translated, so every locale is published.

Each step is one run of the ``carepages`` command line in a fresh process, start-up
included, timed from outside (:func:`measure`: wall time, CPU time of the process and
its workers, peak resident memory of the largest of them). The *floor* is one
process of Python-Markdown (``tables`` and ``fenced_code``, front matter cut off)
rendering every source page once per language the build renders into HTML files,
with nothing else. Speed is measured here, never asserted in a test.

With ``--pin PERCENT``, pinning too: the corpus is committed to a git repository,
then an English edit to the own disclaimer of that share of the pages is extracted,
updated and committed, so that each of them is served pinned in every locale. Timed:
the pinning alone (a process that loads the project, takes the verdicts from the
build's cache, then searches with nothing judged before: git log, reading the
revision, judging it; with the requested jobs and with ``-j 1``), which is what
pinning adds to a build (the pinned pages are rendered instead of the current ones);
a whole full build of the pinned corpus; and a no-op rebuild. Each pinning run checks
that exactly the edited pages are pinned.
"""

# Words of many languages and scripts (Cyrillic, Greek) are meant as they are.
# ruff: noqa: RUF001

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

LOCALE_POOL = ("es", "fr", "de", "pt_BR", "ar", "zh_CN", "it", "nl", "pl", "ja", "ru", "tr", "he", "ko", "sv", "fi")
LOCALE_POOL += ("da", "nb", "cs", "hu", "ro", "el", "uk", "vi")
_VOCABULARY = (
    "treatment injection joint knee hip shoulder cartilage tendon clinic doctor study evidence risk cost pain "
    "swelling recovery cells marrow tissue therapy question answer result benefit trial patient option surgery "
    "exercise physiotherapy medicine infection needle imaging ultrasound guideline approval country regulation"
)
WORDS = tuple(_VOCABULARY.split())
SHARED_DISCLAIMERS = ("not-medical-advice", "investigational", "results-vary", "emergency")
FUZZY, UNTRANSLATED = 0.03, 0.07
#: The page a changed source page or catalog is (a later page: no locale's first).
CHANGED_PAGE = "page-001"


# -- the synthetic corpus ------------------------------------------------------------------------


def sentence(rng: random.Random, words: int = 14) -> str:
    chosen = [rng.choice(WORDS) for _ in range(rng.randint(words - 5, words + 5))]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def page_text(index: int, rng: random.Random) -> str:
    """About 1,200 words and 75 blocks, like the real pages: sections with lists, tables and notes."""
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


_PROTECTED = re.compile(r"\]\([^)]*\)|`[^`]*`|<[^>]*>|https?://\S+|%\([a-z]+\)s|%%|\*\*|!!!")
_WORD = re.compile(r"[^\W\d_]+")
#: Common words of each language: a pseudo-translation made of them reads as that language to the
#: ``language`` check (py3langid among the project's languages), as a real translation does.
LOCALE_WORDS = {
    "es": "el la de que y en los del se las por un para con una su al lo como más pero sus le ya muy también",
    "fr": "le la les des et est une pour dans que qui sur avec pas plus mais nous vous être cette aussi très",
    "de": "der die und den das nicht mit sich auch ist eine für auf dem von werden bei einer noch nach wird",
    "pt_BR": "o a de que e do da em um para com não uma os no se na por mais das você também muito",
    "ar": "في من على إلى أن هذا التي مع عن هذه كان العلاج الطبيب المريض الألم الركبة",
    "zh_CN": "的 是 在 不 了 有 和 人 这 中 大 为 治疗 医生 病人 关节 疼痛",
    "it": "il di che e la per un non una sono della con del gli anche questo molto",
    "nl": "de het een en van is dat op te niet met voor zijn maar ook worden deze",
    "pl": "i w nie na się z do że jest to jak ale po tak czy leczenie pacjent",
    "ja": "の に は を た が で て と し れ さ ある いる です ます から まで ない これ それ",
    "ru": "и в не на что с по это как из но он для от лечение врач пациент",
    "tr": "bir ve bu için ile da de çok daha olan gibi ama değil kadar tedavi",
    "he": "של את על לא זה עם הוא גם כל אם או יש אבל טיפול רופא",
    "ko": "이 그 저 것 수 있다 하다 없다 우리 치료 의사 환자 관절 통증",
    "sv": "och att det som en på är av för med till den inte har kan behandling",
    "fi": "ja on ei se että hän oli mutta kun niin myös vain kuin hoito lääkäri",
    "da": "og at det en den til er som på de med for ikke af være meget nogle efter hvad",
    "nb": "og ikke det er jeg hva noen bare hvordan også av være kanskje mye fordi",
    "cs": "a v se na je že s z do to jako ale pro by léčba lékař",
    "hu": "a az és hogy nem is egy meg van de csak már ez kezelés orvos",
    "ro": "și de la în că nu pe cu să un o pentru este tratament medic",
    "el": "και το να η του της με που για τα στο είναι θεραπεία γιατρός",
    "uk": "і в на що не з до як це та але для від лікування лікар",
    "vi": "và của là có không được trong cho những người này với điều trị",
}


def pseudo_translate(text: str, locale: str) -> str:
    """Each word outside link targets, code and placeholders replaced by a common word of the locale's language.

    The same English word always gets the same word, numbers and Markdown stay intact,
    so the corpus is clean for the checks (numbers, links, markup, language, a
    disclaimer's script): its time is measured on a realistic corpus, not on
    thousands of findings a real translation would not have.
    """
    words = LOCALE_WORDS[locale].split()

    def word(match: re.Match[str]) -> str:
        """Words of the locale, at least half as many letters as the English word (a disclaimer needs its text)."""
        english, chosen = match.group(0), []
        seed = zlib.crc32(english.lower().encode())
        while sum(map(len, chosen)) * 2 < len(english):
            chosen.append(words[(seed + len(chosen)) % len(words)])
        found = " ".join(chosen)
        return found.capitalize() if english[0].isupper() else found

    pieces, last = [], 0
    for match in _PROTECTED.finditer(text):
        pieces += [_WORD.sub(word, text[last : match.start()]), match.group(0)]
        last = match.end()
    pieces.append(_WORD.sub(word, text[last:]))
    return "".join(pieces)


def translate_all(root: Path) -> None:
    """90 % translated, 3 % fuzzy (with ``#|``), 7 % empty; disclaimers and interface strings all translated.

    The interface strings with safety meaning (the draft notice, the disclaimer heading)
    are signed off in each locale's ``waivers.toml``, as a reviewer would: nothing is
    published without that.
    """
    from carepages.catalogs import read_catalog, render_catalog
    from carepages.config import load_config

    config = load_config(root)
    rng = random.Random(17)
    for path in sorted(config.locale_dir.glob("*/LC_MESSAGES/*.po")):
        locale = path.parent.parent.name
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if not message.id or not isinstance(message.id, str):
                continue
            message.string = pseudo_translate(message.id, locale)
            if path.stem == "ui" or any("disclaimer" in comment for comment in message.auto_comments):
                continue
            draw = rng.random()
            if draw < UNTRANSLATED:
                message.string = ""
            elif draw < UNTRANSLATED + FUZZY:
                message.flags.add("fuzzy")
                message.previous_id = [message.id.replace(" ", " earlier ", 1)]
        path.write_bytes(render_catalog(catalog, config.locations))
        if path.stem == "ui":
            sign_interface(config, locale, catalog)


def sign_interface(config: object, locale: str, catalog: object) -> None:
    """The reviewer's sign-off of the interface strings with safety meaning, in the locale's ``waivers.toml``."""
    import datetime as dt

    from carepages.ui import ui_disclaimers
    from carepages.waivers import signoff_record, waivers_path

    records = [
        signoff_record(msgid, catalog[msgid].string, "Benchmark Reviewer", dt.date(2026, 11, 20))  # type: ignore[index]
        for msgid in ui_disclaimers()
        if msgid in catalog  # type: ignore[operator]
    ]
    waivers_path(config, locale).write_text("\n".join(records), encoding="utf-8")  # type: ignore[arg-type]


def _one_line_translation(line: str) -> bool:
    """A ``msgstr`` that holds its whole translation on its line (what the catalog edit changes)."""
    return line.startswith('msgstr "') and line != 'msgstr ""'


def toggle(path: Path, one: str, other: str, state: dict[str, bool]) -> None:
    """Change a file from ``one`` to ``other`` and back on the next call: an edit and its undo."""
    key = str(path)
    old, new = (other, one) if state.get(key) else (one, other)
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    state[key] = not state.get(key)


# -- reference processes (run as ``benchmark.py --floor ROOT`` and so on) ----------------------------------


def floor(root: Path) -> None:
    """Python-Markdown alone: every source page once per language, front matter cut off, one HTML file each."""
    import tomllib

    import markdown

    settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["carepages"]
    md = markdown.Markdown(extensions=["tables", "fenced_code"], output_format="html")
    bodies = []
    for path in sorted((root / "source").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + 5 :]
        bodies.append((path.stem, text))
    for language in (settings.get("source_language", "en"), *settings["locales"]):
        folder = root / "floor" / language
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in bodies:
            md.reset()
            (folder / f"{name}.html").write_text(md.convert(body), encoding="utf-8")


def pin_search(root: Path, jobs: int | None, expected: int) -> None:
    """Pinning alone: the verdicts from the build's cache (outside the timed part's purpose), then the search.

    What a build pays for pinning on top of its other work (the pinned pages are rendered
    instead of the current ones, which costs the same). Fails unless ``expected`` page-locales
    are pinned: a corpus that pins something else measures the wrong thing.
    """
    from carepages.assess import load_run
    from carepages.config import load_config
    from carepages.gate import assess, init_worker
    from carepages.parallel import LazyRunner, available_cores
    from carepages.pinning import PinStore, resolve_pins

    run = load_run(load_config(root))
    runner = LazyRunner(jobs or available_cores(), init_worker, (run,))
    verdicts = {code: a.verdict for code, a in assess(run, list(run.config.locales), runner).items()}
    with runner:
        done = resolve_pins(run, verdicts, PinStore(None, ""), runner)
    pinned = sum(len(verdict.pinned_pages) for verdict in done.verdicts.values())
    if pinned != expected:  # exit status 2: a failure, not a check's "findings" (1)
        print(f"pinning: {pinned} page-locales pinned, {expected} expected", file=sys.stderr)
        sys.exit(2)


def load_locales(root: Path) -> list[str]:
    """The locales of a corpus written before."""
    import tomllib

    settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["carepages"]
    return list(settings["locales"])


def babel_parse(root: Path) -> None:
    """Every catalog parsed once with Babel's reader: what ``stats`` is compared with."""
    from babel.messages.pofile import read_po

    for path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            read_po(handle)


# -- measuring ------------------------------------------------------------------------------------------


def measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run a command to its end: wall seconds, CPU seconds (with its workers), peak MiB of its largest process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors.read().decode()}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024}


class Bench:
    """The corpus, the environment of its commands, and the results so far."""

    def __init__(self, args: argparse.Namespace, base: Path) -> None:
        self.args = args
        self.base = base
        self.root = base / "project"
        self.cache = base / "cache"
        self.results: dict[str, dict[str, float]] = {}
        self.runs = 0

    def env(self, cache: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CAREPAGES_", "LC_", "LANG"))}
        return {**env, "CAREPAGES_CACHE_DIR": str(cache or self.cache), "PYTHONHASHSEED": "0"}

    def carepages(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "carepages", "-q", "--project", str(self.root), *arguments]

    def fresh_cache(self) -> Path:
        self.runs += 1
        return self.base / f"cache-{self.runs}"

    def wants(self, name: str) -> bool:
        """Whether the step ``name`` is timed in this run (``--only``)."""
        return not self.args.only or name == "floor" or name in self.args.only

    def emptied_cache(self, keep_update: bool = False) -> Path:
        """The commands' own cache folder, emptied: the run starts from nothing and leaves its work for the next.

        ``keep_update`` keeps ``update``'s memo (the build and check do not read it): the later
        step "update, one template changed" then times an update after an update, as a
        translator runs it, and not a first one.
        """
        for path in self.cache.glob("*") if self.cache.is_dir() else ():
            if not (keep_update and path.name.endswith("-update.json")):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        return self.cache

    def run(self, command: list[str], cache: Path | None = None) -> dict[str, float]:
        return measure(command, self.env(cache))

    def step(self, name: str, command: Callable[[], list[str]], before: Callable[[], object] | None = None) -> None:
        """Time ``command`` --repeat times (``before`` prepares each run and may name a cache); keep the medians."""
        if not self.wants(name):
            return
        runs = []
        for _ in range(self.args.repeat):
            cache = before() if before else None
            runs.append(self.run(command(), cache if isinstance(cache, Path) else None))
        self.results[name] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"  {name}: {self.results[name]['wall']:.2f} s", file=sys.stderr, flush=True)


def benchmark(args: argparse.Namespace) -> None:
    locales = list(LOCALE_POOL[: args.locales])
    base = Path(tempfile.mkdtemp(prefix="carepages-bench-"))
    bench = Bench(args, base)
    root = bench.root
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    load_before = os.getloadavg()
    try:
        if args.corpus:  # a corpus this script wrote before (--keep), as it was before its first step
            shutil.copytree(args.corpus, root, ignore=shutil.ignore_patterns("dist", "floor", ".git"))
            locales = load_locales(root)
            args.pages = len(list((root / "source").glob("page-*.md")))
        else:
            write_corpus(root, args.pages, locales)
            bench.run(bench.carepages("extract"))
            bench.run(bench.carepages("update"))
            translate_all(root)
        me = [sys.executable, __file__]
        bench.step("floor", lambda: [*me, "--floor", str(root)])
        bench.step("extract", lambda: bench.carepages("extract"))
        bench.step("update, templates unchanged, no cache", lambda: bench.carepages("update"), bench.emptied_cache)
        if bench.wants("update, templates unchanged"):
            bench.run(bench.carepages("update"))  # (nothing to do after the step: it kept its work)
        bench.step("update, templates unchanged", lambda: bench.carepages("update"))
        if args.sphinx_intl:
            peer = base / "peer-locale"
            shutil.copytree(root / "locale", peer)
            command = [args.sphinx_intl, "update", "-p", str(peer / "templates"), "-d", str(peer)]
            bench.step("sphinx-intl update (peer)", lambda: [*command, *(f"-l{code}" for code in locales)])

        def clean() -> Path:
            shutil.rmtree(root / "dist", ignore_errors=True)
            return bench.emptied_cache(keep_update=True)

        bench.step("full build", lambda: bench.carepages("build", *jobs), clean)
        bench.step("full build -j 1", lambda: bench.carepages("build", "-j", "1"), clean)
        bench.run(bench.carepages("build", *jobs))  # a no-op after the steps (a full build without them)
        bench.step("no-op build", lambda: bench.carepages("build", *jobs))
        bench.step("check right after a build", lambda: bench.carepages("check"))
        bench.step("check alone (no cache)", lambda: bench.carepages("check"), bench.fresh_cache)
        toggles: dict[str, bool] = {}

        def change_source() -> None:
            toggle(root / "source" / f"{CHANGED_PAGE}.md", "## Section 1 about", "## Section 1 now about", toggles)
            bench.run(bench.carepages("extract"))

        def change_source_and_update() -> None:
            change_source()
            bench.run(bench.carepages("update"))

        bench.step("update, one template changed", lambda: bench.carepages("update"), change_source)
        bench.step("build, one source page changed", lambda: bench.carepages("build", *jobs), change_source_and_update)
        catalog = root / "locale" / locales[0] / "LC_MESSAGES" / f"{CHANGED_PAGE}.po"
        one = next(line for line in catalog.read_text(encoding="utf-8").split("\n") if _one_line_translation(line))
        bench.step(
            "build, one catalog changed",
            lambda: bench.carepages("build", *jobs),
            lambda: toggle(catalog, one, one[:-1] + ' ok"', toggles),
        )
        bench.step(  # a translator's loop: edit a catalog, check
            "check, one catalog changed",
            lambda: bench.carepages("check"),
            lambda: toggle(catalog, one, one[:-1] + ' ok"', toggles),
        )
        bench.step("stats", lambda: bench.carepages("stats"))
        bench.step("Babel parsing every catalog (reference)", lambda: [*me, "--babel-parse", str(root)])
        if args.pin:
            pin_benchmark(bench, locales, jobs)
        report(args, locales, bench.results, (load_before, os.getloadavg()))
    finally:
        if args.keep:
            print(f"corpus kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


# -- pinning --------------------------------------------------------------------------------------------


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


def pin_benchmark(bench: Bench, locales: list[str], jobs: list[str]) -> None:
    """Commit the corpus, commit an English edit to some pages' disclaimers, and time what pinning them costs."""
    root, args = bench.root, bench.args
    (root / ".gitignore").write_text("dist/\n.dist-build.lock\nfloor/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "translated")
    expected = len(edit_disclaimers(root, args.pin)) * len(locales)
    bench.run(bench.carepages("extract"))
    bench.run(bench.carepages("update"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "English edits", day="2026-11-25")
    label = f"pin {args.pin:g} %"
    judged = bench.fresh_cache()
    shutil.rmtree(root / "dist", ignore_errors=True)
    bench.run(bench.carepages("build", *jobs), judged)  # the build's cache: the verdicts pinning starts from
    me = [sys.executable, __file__, "--pin-search", str(root), "--expect-pinned", str(expected)]
    own_jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    bench.step(f"pinning alone, {label}", lambda: [*me, *own_jobs], lambda: judged)
    bench.step(f"pinning alone -j 1, {label}", lambda: [*me, "--jobs", "1"], lambda: judged)

    def clean() -> Path:
        shutil.rmtree(root / "dist", ignore_errors=True)
        return bench.fresh_cache()

    bench.step(f"full build, {label}", lambda: bench.carepages("build", *jobs), clean)
    bench.run(bench.carepages("build", *jobs), judged)
    bench.step(f"no-op build, {label}", lambda: bench.carepages("build", *jobs), lambda: judged)
    published = len(list((root / "dist").rglob("page-*.html")))  # pinned or current: withheld pages are not
    print(f"  pinned corpus: {published} of {args.pages * (len(locales) + 1)} pages published", file=sys.stderr)


# -- the report ------------------------------------------------------------------------------------------


def report(args: argparse.Namespace, locales: list[str], results: dict[str, dict[str, float]], load: tuple) -> None:
    from carepages.parallel import available_cores

    floor_wall = results["floor"]["wall"]
    print(
        f"corpus: {args.pages} pages x {len(locales)} locales (+ source), medians of {args.repeat} runs, "
        f"{available_cores()} cores, build -j {args.jobs or 'default'}; floor {floor_wall:.2f} s; "
        f"load average {load[0][0]:.2f} before, {load[1][0]:.2f} after"
    )
    print("\n| step | wall s | CPU s | x floor (wall / CPU) | peak MiB |\n|---|---|---|---|---|")
    for name, values in results.items():
        ratio = f"{values['wall'] / floor_wall:.2f} / {values['cpu'] / floor_wall:.2f}"
        print(f"| {name} | {values['wall']:.2f} | {values['cpu']:.2f} | {ratio} | {values['peak']:.0f} |")
    print()
    for line in targets(results):
        print(line)


def targets(results: dict[str, dict[str, float]]) -> list[str]:
    """Issue 17's targets, each with the measured figure."""
    floor_wall = results["floor"]["wall"]
    wall = {name: values["wall"] for name, values in results.items()}
    if not {"full build", "full build -j 1", "check right after a build", "check alone (no cache)", "stats"} <= set(
        wall
    ):
        return ["targets: not every step was timed (--only)"]
    lines = [
        ("full build wall <= 1.0 x floor", wall["full build"] / floor_wall, 1.0, "x"),
        ("full build CPU <= 1.5 x floor", results["full build"]["cpu"] / floor_wall, 1.5, "x"),
        ("default -j not slower than -j 1", wall["full build"] / wall["full build -j 1"], 1.0, "x"),
        ("check after build <= no-op build + 1 s", wall["check right after a build"] - wall["no-op build"], 1.0, "s"),
        ("check alone <= 1.0 x floor", wall["check alone (no cache)"] / floor_wall, 1.0, "x"),
        ("stats <= 1.2 x Babel parse", wall["stats"] / wall["Babel parsing every catalog (reference)"], 1.2, "x"),
    ]
    if "sphinx-intl update (peer)" in wall:
        peer = wall["sphinx-intl update (peer)"]
        lines.append(("update <= sphinx-intl", wall["update, templates unchanged"] / peer, 1.0, "x"))
    return [
        f"target: {name}: {value:.2f} {unit} -> {'met' if value <= bound else 'MISSED'}"
        for name, value, bound, unit in lines
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages in the corpus (default 200)")
    parser.add_argument("--locales", type=int, default=10, help=f"locales, at most {len(LOCALE_POOL)} (default 10)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; medians are reported (default 5)")
    parser.add_argument("--jobs", type=int, default=None, help="build workers (default: carepages' own choice)")
    parser.add_argument("--sphinx-intl", help="a sphinx-intl program: its update is timed as a peer")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus")
    parser.add_argument(
        "--corpus", type=Path,
        help="time a copy of this corpus (made earlier by this script's generator) instead of writing one",
    )  # fmt: skip
    parser.add_argument(
        "--only", nargs="+", metavar="STEP",
        help="time only these steps (and the floor), by their names in the report, e.g. --only 'full build' 'stats'",
    )  # fmt: skip
    parser.add_argument(
        "--pin", type=float, default=0, metavar="PERCENT",
        help="also time pinning: an English edit leaves this share of the pages to be served pinned (default: off)",
    )  # fmt: skip
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pin-search", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--expect-pinned", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--babel-parse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(args.floor)
        return 0
    if args.pin_search:
        pin_search(args.pin_search, args.jobs, args.expect_pinned)
        return 0
    if args.babel_parse:
        babel_parse(args.babel_parse)
        return 0
    if not 1 <= args.locales <= len(LOCALE_POOL):
        parser.error(f"--locales must be from 1 to {len(LOCALE_POOL)}")
    benchmark(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
