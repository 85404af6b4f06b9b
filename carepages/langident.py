"""Which of a few languages a text is in: langid.py's model (py3langid), restricted to the candidates.

The ``language`` check asks one question: is this translation in the locale's
language, or in another language the project knows (its source language, left in by
mistake, or one of its other locales, pasted from the wrong catalog)? A classifier
over all of langid.py's 97 languages mistakes short Spanish for Galician or Occitan
and short Chinese for Cantonese; restricted to the project's own languages it made
no such mistake on the shipped translations (see the README's "Checking"), and still
tells Spanish from Portuguese. The model loads once per process (a tenth of a second
from its unpacked copy in the user's cache folder), and only when some text needs judging.

A catalog's texts are judged together (:meth:`Identifier.identify_all`): the model's
walk over each text's bytes, one Python step per byte in py3langid, takes one numpy
step per byte position for all of them, and their scores are summed in arrays. The
answer is the model's own: where the two best languages' scores are closer than the
rounding of py3langid's float32 arithmetic could move them, or where this batch path
does not reproduce the model's scores on a few probe texts (another py3langid
release), the text is asked of :meth:`Identifier.identify` instead.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import importlib.metadata
import json
import lzma
import mmap
import weakref
import zipfile
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from babel import Locale

from carepages.fsutil import write_chunks_if_changed
from carepages.memo import cache_root


def language_of(locale: str) -> str:
    """The ISO 639 language of a locale code (``pt_BR`` -> ``pt``, ``zh_CN`` -> ``zh``)."""
    return Locale.parse(locale).language


@functools.cache
def _base_model() -> Any:
    """langid.py's model with probabilities normalised over the candidates (loaded once per process).

    py3langid ships it as an LZMA-compressed ``.npz``; unpacking it was most of the
    load (0.3 of 0.4 s, in every process that judges a language: each build worker,
    each ``check``). The unpacked file is kept in the user's cache folder under the
    packed file's hash, and read from there (:func:`_model_arrays`); when that fails,
    py3langid loads its file itself.
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    arrays = _model_arrays(_packed_file())
    if arrays is not None:
        with contextlib.suppress(TypeError, ValueError):  # another py3langid's constructor
            return _identifier_of(arrays)
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _packed_file() -> Path:
    """The model file py3langid ships (an LZMA-compressed ``.npz``)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else Path(MODEL_DIR) / MODEL_FILE


def prepare() -> None:
    """Make the model's unpacked copy now if the cache folder has none, before the run holds anything else.

    On a machine's first run (a fresh clone in CI) each build worker made the copy, after
    it had inherited the run's sources from the build: py3langid's own load, which the
    copy is compared with (the packed file and the model in memory at once), came on top
    of them and was the worker's peak. Made here, at the start of ``build`` and ``check``,
    it is one load instead of one per worker, made before the sources are read. A cache
    folder that cannot be read or written only loses that: each worker tries, as before.
    """
    with contextlib.suppress(ImportError, OSError):
        packed = _packed_file()
        kept = _kept_copy(packed)
        if kept is not None and not kept.exists():
            _model_arrays(packed)


def _kept_copy(packed: Path) -> Path | None:
    """Where the unpacked copy of ``packed`` is kept: named by py3langid's version and the packed file's hash."""
    name = _copy_name(packed)
    return cache_root() / name if name is not None else None


@functools.cache
def _copy_name(packed: Path) -> str | None:
    """The copy's file name, once per process: :func:`prepare` hashes the packed file (4.6 MB, 15 ms)
    before the workers fork, and they take its answer instead of hashing it again."""
    try:
        with packed.open("rb") as handle:
            name = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
        version = importlib.metadata.version("py3langid")
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return f"langid-{version}-{name}.npz"


def _identifier_of(arrays: tuple[Any, ...]) -> Any:
    """py3langid's identifier of the model's parts (:data:`_MODEL_PARTS`), as its own loader makes it."""
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = arrays
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def _model_digest(model: Any) -> str:
    """A hash of everything an identifier's model holds (its parts one at a time: two whole models at once
    would take 68 MB more)."""
    hasher = hashlib.sha256()
    for part in (model.nb_ptc, model.nb_pc, model.nb_classes, model.tk_nextmove, model.tk_row, model.tk_output):
        if isinstance(part, np.ndarray):
            hasher.update(f"{part.dtype}{part.shape}".encode())
            hasher.update(np.ascontiguousarray(part).data.cast("B"))
        elif isinstance(part, array | memoryview):  # a memoryview: the mapped table (:func:`_mapped_uint`)
            hasher.update((part.typecode if isinstance(part, array) else part.format).encode())
            hasher.update(memoryview(part).cast("B"))
        else:
            hasher.update(json.dumps(part).encode())
    return hasher.hexdigest()


#: The arrays of py3langid's model file, and how its loader turns each into the model's part.
_MODEL_PARTS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("ptc", lambda a: a),
    ("pc", lambda a: a),
    ("classes", lambda a: a.tolist()),
    ("nextmove", lambda a: _uint_array(a)),
    ("nextmove_row", lambda a: _uint_array(a)),
    ("out_feat", lambda a: a.tolist()),
)


def _model_arrays(packed: Path) -> tuple[Any, ...] | None:
    """The model's parts, as py3langid's loader makes them, from the unpacked copy in the cache folder.

    The copy is named by py3langid's version and the packed file's hash. It is made on
    first use, unpacked a piece at a time as py3langid does (the unpacked file is 68 MB),
    and kept only when the identifier made from it is, part for part, the one py3langid's
    own loader makes (another release could read its file otherwise). A copy that cannot
    be read (damaged: the ``.npz``'s CRCs fail) is made again. None when there is no copy
    to be had (a cache folder that cannot be written, another layout): py3langid then
    loads its file itself.
    """
    kept = _kept_copy(packed)
    if kept is None:
        return None
    with contextlib.suppress(OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        return _read_model(kept)
    if _unpacked_as_shipped(packed, kept):
        _prune_other_copies(kept)
        return _read_model(kept)  # read again: the comparison held one model at a time
    with contextlib.suppress(OSError):
        kept.unlink(missing_ok=True)
    return None


def _prune_other_copies(kept: Path) -> None:
    """Remove the copies other py3langid releases (or a damaged packed file) left: 68 MB each, never read again.

    Two environments with different releases sharing one cache folder each unpack their
    own model again after the other did (under a second): a cheaper fault than a cache
    folder that grows by 68 MB with every upgrade.
    """
    for other in kept.parent.glob("langid-*.npz"):
        if other != kept:
            with contextlib.suppress(OSError):
                other.unlink()


def _unpacked_as_shipped(packed: Path, kept: Path) -> bool:
    """Unpack ``packed`` to ``kept``; whether the identifier made from the copy is the one py3langid's own
    loader makes (compared by :func:`_model_digest`). False when either cannot be made.

    py3langid's own load comes before the copy is read: it is the largest moment of a
    process's first run (the packed file and the model in memory at once), and nothing
    else is held then.
    """
    from py3langid.langid import LanguageIdentifier

    try:
        with lzma.open(packed) as unpacking:
            write_chunks_if_changed(kept, iter(functools.partial(unpacking.read, 1 << 20), b""))
        shipped = _model_digest(LanguageIdentifier.from_model_file(packed, norm_probs=True))
        return _model_digest(_identifier_of(_read_model(kept))) == shipped
    except (OSError, lzma.LZMAError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return False


def _read_model(source: Path) -> tuple[Any, ...]:
    """The model's parts from the unpacked copy: mapped from the file where it can be (:func:`_mapped_parts`),
    else read whole."""
    mapped = _mapped_parts(source)
    if mapped is not None:
        return mapped
    with np.load(source, allow_pickle=False) as found:
        return tuple(convert(found[name]) for name, convert in _MODEL_PARTS)


#: The files the model's two large tables are mapped from (:func:`_mapped_parts`), for :func:`release_pages`;
#: weakly held: a model no longer used unmaps its file (and closes its descriptor) as it always did.
_MAPS: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()


def _mapped_parts(source: Path) -> tuple[Any, ...] | None:
    """The model's parts with its two large tables mapped from the copy, not read into memory.

    The DFA's transition table (39 MB) and the feature weights (28 MB) were read whole
    into every process that judges a language. Mapped, a table takes memory only where
    a judgment touches it: the states and features of the texts judged (a sixth of
    each table's pages for the benchmark's ten languages; the system may map more
    around each, as its page cache holds the file). Every member is read once first,
    so that a damaged copy fails its CRC as it did when read whole (then it is unpacked
    again); None where the copy's members are compressed or not plain arrays (then
    they are read whole).
    """
    wanted = {"nextmove", "ptc"}
    with zipfile.ZipFile(source) as archive, source.open("rb") as handle:
        infos = {info.filename.removesuffix(".npy"): info for info in archive.infolist()}
        for info in infos.values():  # the CRC check: a damaged copy raises BadZipFile here
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        if any(name not in infos or infos[name].compress_type != zipfile.ZIP_STORED for name in wanted):
            return None
        placed = {name: _array_place(handle, infos[name]) for name in wanted}
        if any(place is None for place in placed.values()):
            return None
        try:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that cannot map files: read whole
            return None
        parts = []
        for name, convert in _MODEL_PARTS:
            place = placed.get(name)
            if place is None:
                with archive.open(infos[name]) as member:
                    parts.append(convert(np.lib.format.read_array(member, allow_pickle=False)))
                continue
            offset, dtype, shape = place
            values = np.frombuffer(mapped, dtype=dtype, count=int(np.prod(shape)), offset=offset).reshape(shape)
            parts.append(_mapped_uint(mapped, offset, values) if name == "nextmove" else convert(values))
    _MAPS.add(mapped)
    return tuple(parts)


def _array_place(handle: BinaryIO, info: zipfile.ZipInfo) -> tuple[int, np.dtype[Any], tuple[int, ...]] | None:
    """Where a stored ``.npy`` member's data starts in the file, its dtype and shape; None for what cannot be
    mapped as it is (Fortran order, objects, a byte order other than this machine's)."""
    handle.seek(info.header_offset)
    local = handle.read(30)  # the local file header: its name and extra field lengths are at 26 and 28
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return None
    handle.seek(
        info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
    )
    version = np.lib.format.read_magic(handle)
    header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = header(handle)
    if fortran or dtype.hasobject or not dtype.isnative:
        return None
    return handle.tell(), dtype, tuple(shape)


def _mapped_uint(mapped: mmap.mmap, offset: int, values: Any) -> Any:
    """The transition table as py3langid walks it (items of the standard library's kind, as in an ``array``),
    a view of the mapped file rather than a copy."""
    view = memoryview(mapped)[offset : offset + values.nbytes]
    typecode: Any = _TYPECODES[values.dtype.itemsize]  # (a str, where typeshed wants one of the literals)
    return view.cast(typecode)


def release_pages() -> None:
    """Let go of the mapped tables' pages this process has touched so far (they are read again when needed).

    Cutting the weights to the candidates' columns reads the whole table once; without
    this, those pages stayed in the process's memory for the rest of its run.
    """
    for mapped in list(_MAPS):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            mapped.madvise(mmap.MADV_DONTNEED)


_TYPECODES = {2: "H", 4: "I", 8: "L"}


def _uint_array(values: Any) -> array:
    """An unsigned integer numpy array as the standard library's ``array`` (what py3langid's DFA walks)."""
    made = array(_TYPECODES[values.dtype.itemsize])
    made.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return made


@functools.cache
def known_languages() -> frozenset[str]:
    """Every language the model can tell apart."""
    return frozenset(_base_model().nb_classes)


@dataclass(frozen=True)
class Identifier:
    """A classifier restricted to ``candidates`` (ISO 639 codes the model knows)."""

    candidates: tuple[str, ...]
    model: Any
    batch: _Batch | None = field(default=None, compare=False, repr=False)

    def identify(self, text: str) -> str:
        """The candidate language ``text`` is most likely written in."""
        language, _confidence = self.model.classify(text)
        return str(language)

    def judge(self, text: str) -> tuple[str, float]:
        """:meth:`identify` with the model's probability of its answer (normalised over the candidates)."""
        language, probability = self.model.classify(text)
        return str(language), float(probability)

    def identify_all(self, texts: Sequence[str]) -> list[str]:
        """:meth:`identify` of each text, judged together (four to five times faster for a catalog)."""
        if self.batch is None or not texts:
            return [self.identify(text) for text in texts]
        return self.batch.identify_all(texts, self.identify)


def identifier(candidates: tuple[str, ...]) -> Identifier:
    """An :class:`Identifier` for these candidates (see :func:`identifiers`)."""
    return identifiers(candidates)[0]


@functools.cache
def identifiers(candidates: tuple[str, ...]) -> tuple[Identifier, Identifier]:
    """An :class:`Identifier` for these candidates, and one among every language the model knows.

    The first judges every translation among the project's languages (a paste from
    another catalog, the source left in). The second judges disclaimers only: a Spanish
    emergency warning written in Italian, or an Arabic one in Persian, reads as Spanish
    or Arabic when those are the only choices. Both are made from one load of the
    model and share its arrays but one: the table of each feature's weight in every
    language (100,053 features x 142 columns, 27 MB), which the first cuts to the
    candidates' columns (1.4 MB for seven) and the second keeps whole. Another set of
    candidates (in one process: only the tests) loads the model again (under a second).
    """
    known = known_languages()  # kept: it is asked for before every judgment
    base = _base_model()
    model = copy.copy(base)
    model.set_languages(list(candidates))
    model._full_model = (model.nb_ptc, model.nb_pc, model.nb_classes)  # the others' columns are not kept here
    wide = copy.copy(base)
    _base_model.cache_clear()
    made = Identifier(candidates, model, _Batch.of(model)), Identifier(tuple(sorted(known)), wide, _Batch.of(wide))
    release_pages()  # the cut (and the batches' probes) read every page of the weights: judgments touch a few
    return made


#: Texts the batch path must score as the model does before it is trusted: several
#: scripts, capitals (which the model lowers) and a letter with a combining accent.
_PROBES = (
    "Ask your doctor about the RISKS before any injection.",
    "ASK YOUR DOCTOR",
    "Demandez à votre me\u0301decin quels sont les risques.",
    "اسأل طبيبك عن المخاطر قبل الحقن.",
    "在同意注射之前请向医生询问风险",
    "",
)


#: Bytes of text judged in one part: the arrays of a part take about 40 times as much.
CHUNK = 128 * 1024


class _Batch:
    """py3langid's scoring of many texts at once, from the model's own arrays.

    For one text py3langid walks its UTF-8 bytes through a DFA in a Python loop,
    counts the features the states it passes emit, and scores each language as the
    sum over features of ``log1p(count) * weight`` plus the language's prior, in
    float32. Here every text of a batch advances one byte per numpy step, and the
    sums are taken in float64 for all texts at once. The answer is the model's
    wherever the two best scores are further apart than float32 rounding could move
    them (:meth:`_close`); elsewhere the caller asks the model.
    """

    def __init__(self, model: Any) -> None:
        self.encode = model._encode
        self.classes: list[str] = list(model.nb_classes)
        self.nextmove = np.asarray(memoryview(model.tk_nextmove))  # the model's own table, not a copy
        self.rowbase = np.asarray(model.tk_row, dtype=np.int64) << 8
        self.output = np.asarray(model.tk_output, dtype=np.int32)
        self.weights = np.asarray(model.nb_ptc)
        self.prior = np.asarray(model.nb_pc, dtype=np.float64)

    @classmethod
    def of(cls, model: Any) -> _Batch | None:
        """A batch scorer of ``model``, or None where it would not answer as the model does.

        It relies on py3langid's internals (its arrays, its encoding of a text, log1p
        of the counts), so it is checked against the model's own scores of the probes
        and left out, at no cost but speed, on any difference or error.
        """
        if getattr(model, "min_confidence", None) is not None or getattr(model, "_alias_pairs", None):
            return None  # an abstaining or aliased model answers otherwise than by the best score
        try:
            batch = cls(model)
            mine, _unsure = batch.scores([batch.encode(text) for text in _PROBES])
            theirs = np.array([model._raw_score(batch.encode(text)) for text in _PROBES[:-1]])
        except Exception:  # any mismatch with this py3langid's internals: its public path is used
            return None
        if mine.shape != (len(_PROBES), len(batch.classes)):
            return None
        return batch if np.allclose(mine[:-1], theirs, rtol=1e-4, atol=1e-3) else None

    def identify_all(self, texts: Sequence[str], one: Callable[[str], str]) -> list[str]:
        """The best language of each text; ``one(text)`` answers where the scores are too close.

        The texts go through in parts of about :data:`CHUNK` bytes, longest first (so
        that a part's walk is as long as its longest text), which bounds the arrays a
        part needs to a few MB whatever the size of the catalog.
        """
        encoded = [self.encode(text) for text in texts]
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i]))
        answers = [""] * len(texts)
        start = 0
        while start < len(order):
            end, size = start, 0
            while end < len(order) and (end == start or size + len(encoded[order[end]]) <= CHUNK):
                size += len(encoded[order[end]])
                end += 1
            part = order[start:end]
            scores, close = self.scores([encoded[i] for i in part])
            for i, best, unsure in zip(part, scores.argmax(axis=1).tolist(), close.tolist(), strict=True):
                answers[i] = one(texts[i]) if unsure else self.classes[best]
            start = end
        return answers

    def scores(self, encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Each text's raw score in every language, and whether its best two are too close to call."""
        count = len(encoded)
        text, feature = self._features(encoded)
        key = text * len(self.output) + feature.astype(np.int64)
        pairs, repeats = np.unique(key, return_counts=True)
        text, feature = pairs // len(self.output), pairs % len(self.output)
        weight = np.log1p(repeats.astype(np.float64))
        rows = self.weights[feature]
        scores = np.empty((count, rows.shape[1]))
        for column in range(rows.shape[1]):  # a column at a time: no (features x languages) float64 array
            scores[:, column] = np.bincount(text, weights=weight * rows[:, column], minlength=count)
        scores += self.prior
        # The largest sum of the terms' magnitudes in any language, or a little more.
        size = np.bincount(text, weights=weight * np.abs(rows).max(axis=1), minlength=count)
        terms_per_text = np.bincount(text, minlength=count)
        return scores, self._close(scores, size + np.abs(self.prior).max(), terms_per_text)

    @staticmethod
    def _close(scores: np.ndarray, size: np.ndarray, terms: np.ndarray) -> np.ndarray:
        """Texts whose best two scores float32 sums could swap, and texts with no feature at all.

        A float32 sum of n terms is off by at most about n * 2**-24 times the sum of
        their magnitudes; the model also rounds each term, the prior, and the scaling
        by the text's length. The margin asked for here is 16 times that bound.
        """
        if scores.shape[1] < 2:
            return terms == 0
        top = np.sort(scores, axis=1)[:, -2:]
        margin = top[:, 1] - top[:, 0]
        return (terms == 0) | (margin <= size * (terms + 16) * 2.0**-20)

    def _features(self, encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(text, feature) of every feature the DFA emits over the texts' bytes.

        The texts are laid end to end, longest first, so that at each byte position
        the texts still walking are the first ``walking`` of them.
        """
        lengths = np.array([len(data) for data in encoded], dtype=np.int64)
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        data = np.frombuffer(b"".join([encoded[i] for i in order]), dtype=np.uint8)
        starts = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        state = np.zeros(len(lengths), dtype=np.int64)
        emitted = np.full(len(data), -1, dtype=np.int32)
        walking = len(lengths)
        for position in range(int(lengths[0]) if walking else 0):
            while lengths[walking - 1] <= position:
                walking -= 1
            at = starts[:walking] + position
            state[:walking] = self.nextmove[self.rowbase[state[:walking]] + data[at]]
            emitted[at] = self.output[state[:walking]]
        text = np.repeat(order, lengths)
        found = emitted >= 0
        return text[found], emitted[found]


def language_name(code: str, locale: str = "en") -> str:
    """A language's name in English for messages (``pt`` -> ``Portuguese``)."""
    try:
        return Locale.parse(locale).languages.get(code) or code
    except ValueError:
        return code
