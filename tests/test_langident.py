"""The language identifier: restricted to the project's languages, and holding only their columns."""

from __future__ import annotations

import copy
import os
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from carepages import langident
from carepages.langident import identifier, known_languages

TEXTS = (
    "Ask your doctor about the risks before you agree to an injection.",
    "Pregunte a su médico por los riesgos antes de aceptar una inyección.",
    "Demandez à votre médecin quels sont les risques avant une injection.",
    "Fragen Sie Ihren Arzt nach den Risiken, bevor Sie einer Injektion zustimmen.",
    "Pergunte ao seu médico sobre os riscos antes de aceitar uma injeção.",
    "اسأل طبيبك عن المخاطر قبل أن توافق على الحقن.",
    "在同意注射之前，请向医生询问风险。",  # noqa: RUF001 (a Chinese comma)
)

CANDIDATE_SETS = (("ar", "de", "en", "es", "fr", "pt", "zh"), ("en", "es", "pt"), ("de", "en"))


@pytest.fixture(scope="module")
def whole_model() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize("candidates", CANDIDATE_SETS)
def test_the_identifier_answers_as_the_whole_model_restricted_to_the_candidates(
    candidates: tuple[str, ...], whole_model: LanguageIdentifier
) -> None:
    judge = identifier(candidates)
    whole_model.set_languages(list(candidates))
    for text in TEXTS:
        assert judge.identify(text) == whole_model.classify(text)[0], text


@pytest.mark.parametrize("candidates", CANDIDATE_SETS)
def test_the_identifier_holds_only_the_candidates_columns(candidates: tuple[str, ...]) -> None:
    model = identifier(candidates).model
    assert model.nb_ptc.shape[1] == len(model.nb_classes) == len(candidates)
    assert model._full_model[0] is model.nb_ptc  # the table of every language is not kept
    assert set(candidates) <= known_languages()


# --- judging many texts at once -------------------------------------------------------------

SHIPPED = sorted(
    {
        entry.msgstr
        for path in Path(__file__).parent.parent.glob("locale/*/LC_MESSAGES/*.po")
        for entry in polib.pofile(str(path))
        if entry.msgstr
    }
)

#: Words of the candidates' languages, and a few characters that are not words, to make texts from.
PIECES = [word for text in TEXTS for word in text.split()] + [
    "PRP",
    "2025",
    "(",
    "—",
    "e\u0301",
    "\u200b",
    "ÉTUDE",
    "…",
]


@pytest.mark.parametrize("candidates", CANDIDATE_SETS)
def test_the_batch_path_is_taken_with_this_py3langid(candidates: tuple[str, ...]) -> None:
    assert identifier(candidates).batch is not None


def test_judging_the_shipped_translations_together_answers_as_one_at_a_time() -> None:
    judge = identifier(("ar", "de", "en", "es", "fr", "pt", "zh"))
    assert len(SHIPPED) > 500
    assert judge.identify_all(SHIPPED) == [judge.identify(text) for text in SHIPPED]


def test_a_catalog_is_judged_in_parts_of_a_bounded_size(monkeypatch: pytest.MonkeyPatch) -> None:
    judge = identifier(("ar", "de", "en", "es", "fr", "pt", "zh"))
    assert judge.batch is not None
    sizes: list[int] = []
    scores = judge.batch.scores

    def counted(part: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        sizes.append(sum(map(len, part)))
        return scores(part)

    monkeypatch.setattr(judge.batch, "scores", counted)
    monkeypatch.setattr(langident, "CHUNK", 2000)
    longest = max(len(text.encode()) for text in SHIPPED)
    assert judge.identify_all(SHIPPED) == [judge.identify(text) for text in SHIPPED]
    assert len(sizes) > 10 and max(sizes) <= max(2000, longest)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
            st.lists(st.sampled_from(PIECES), max_size=6).map(" ".join).map(str.upper),
            st.text(max_size=40),
        ),
        max_size=25,
    ),
    st.sampled_from(CANDIDATE_SETS),
)
def test_judging_texts_together_answers_as_one_at_a_time(texts: list[str], candidates: tuple[str, ...]) -> None:
    judge = identifier(candidates)
    assert judge.identify_all(texts) == [judge.identify(text) for text in texts]


def test_the_batch_scores_are_the_models_own() -> None:
    judge = identifier(CANDIDATE_SETS[0])
    assert judge.batch is not None
    scores, close = judge.batch.scores([judge.model._encode(text) for text in TEXTS])
    theirs = np.array([judge.model._raw_score(judge.model._encode(text)) for text in TEXTS])
    assert np.allclose(scores, theirs, rtol=1e-5, atol=1e-4)
    assert not close.any()


def test_texts_too_close_to_call_or_without_features_are_asked_one_at_a_time() -> None:
    judge = identifier(CANDIDATE_SETS[0])
    assert judge.batch is not None
    asked: list[str] = []

    def one(text: str) -> str:
        asked.append(text)
        return "asked"

    answers = judge.batch.identify_all(["", *TEXTS[:2]], one)
    assert answers == ["asked", "en", "es"] and asked == [""]
    # Scores 1e-9 apart, of terms whose float32 sum could be off by more: too close to call.
    close = judge.batch._close(
        np.array([[-50.0, -50.000000001], [-50.0, -80.0]]), np.array([60.0, 60.0]), np.array([20, 20])
    )
    assert close.tolist() == [True, False]


class _OtherRelease(LanguageIdentifier):
    """A py3langid whose scores are not what the batch path computes."""

    __slots__ = ()

    def _raw_score(self, text: bytes) -> np.ndarray:
        return super()._raw_score(text) * 2


def test_a_model_the_batch_path_cannot_reproduce_is_judged_one_text_at_a_time() -> None:
    model = copy.copy(identifier(CANDIDATE_SETS[1]).model)
    model.__class__ = _OtherRelease
    assert langident._Batch.of(model) is None
    judge = langident.Identifier(CANDIDATE_SETS[1], model, None)
    assert judge.identify_all(list(TEXTS)) == [judge.identify(text) for text in TEXTS]
    abstaining = copy.copy(identifier(CANDIDATE_SETS[1]).model)
    abstaining.min_confidence = 0.9
    assert langident._Batch.of(abstaining) is None


def _parts(model: LanguageIdentifier) -> list[object]:
    arrays = [np.asarray(model.nb_ptc), np.asarray(model.nb_pc)]
    return [*(a.tobytes() for a in arrays), model.nb_classes, model.tk_nextmove, model.tk_row, model.tk_output]


def test_the_model_read_from_its_unpacked_copy_is_py3langids_own(
    whole_model: LanguageIdentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy in the cache folder is made on first use and read after; a damaged copy is made again."""
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path))
    packed = Path(MODEL_DIR) / MODEL_FILE
    fresh = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # whole_model's columns were cut
    older = tmp_path / "langid-0.9-0123456789abcdef0123456789abcdef.npz"  # an earlier release's copy
    older.write_bytes(b"68 MB that nothing reads again")
    neighbour = tmp_path / "langid-notes.txt"
    neighbour.write_text("not a copy", encoding="utf-8")
    for _ in range(2):  # made, then read
        parts = langident._model_arrays(packed)
        assert parts is not None
        ptc, pc, classes, nextmove, row, output = parts
        model = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
        assert _parts(model) == _parts(fresh)
        (copy_,) = tmp_path.glob("langid-*.npz")  # the earlier release's copy was removed when this one was made
    assert neighbour.exists()
    unpacked = copy_.read_bytes()
    copy_.write_bytes(unpacked[:1000] + b"damaged" + unpacked[1007:])  # inside the first array: its CRC fails
    assert langident._model_arrays(packed) is not None
    assert copy_.read_bytes() == unpacked  # unpacked again


def test_without_a_cache_folder_py3langid_loads_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(blocked / "cache"))
    assert langident._model_arrays(Path(MODEL_DIR) / MODEL_FILE) is None
    langident._base_model.cache_clear()
    try:
        assert "de" in langident._base_model().nb_classes
    finally:
        langident._base_model.cache_clear()


def test_a_copy_read_otherwise_than_py3langid_reads_its_file_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another py3langid release could read its file otherwise: the copy is kept only when the model made from
    it is the one py3langid's own loader makes (here the copy's reading loses the last language)."""
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path))
    parts = dict(langident._MODEL_PARTS)
    parts["classes"] = lambda a: a.tolist()[:-1]
    monkeypatch.setattr(langident, "_MODEL_PARTS", tuple(parts.items()))
    assert langident._model_arrays(Path(MODEL_DIR) / MODEL_FILE) is None
    assert list(tmp_path.glob("langid-*")) == []


def test_the_large_tables_are_mapped_from_the_copy_and_a_compressed_copy_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transition table and the weights are views of the unpacked file (a judgment takes memory only for
    the pages it touches); a copy whose members are compressed is read whole, into the same model."""
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path))
    packed = Path(MODEL_DIR) / MODEL_FILE
    parts = langident._model_arrays(packed)
    assert parts is not None
    ptc, _pc, _classes, nextmove, _row, _output = parts
    assert isinstance(nextmove, memoryview) and nextmove.readonly
    assert not ptc.flags.owndata and not ptc.flags.writeable
    (copy_,) = tmp_path.glob("langid-*.npz")
    with np.load(copy_) as found:
        squeezed = tmp_path / "squeezed.npz"
        np.savez_compressed(squeezed, **{name: found[name] for name in found.files})
    assert langident._mapped_parts(squeezed) is None
    whole = langident._read_model(squeezed)
    assert isinstance(whole[3], array)
    made = [LanguageIdentifier(p[0], p[1], p[2], p[3], p[5], norm_probs=True, tk_row=p[4]) for p in (parts, whole)]
    assert _parts(made[0]) == _parts(made[1])
    langident.release_pages()  # the pages go; the tables still read as before
    assert _parts(made[0]) == _parts(made[1])


def test_prepare_makes_the_copy_when_there_is_none_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``build`` and ``check`` make a first run's copy before they hold the sources (not in each worker)."""
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path))
    made: list[Path] = []
    unpack = langident._unpacked_as_shipped

    def unpacking(packed: Path, kept: Path) -> bool:
        made.append(kept)
        return unpack(packed, kept)

    monkeypatch.setattr(langident, "_unpacked_as_shipped", unpacking)
    langident.prepare()
    assert len(made) == 1
    assert [path.name for path in tmp_path.glob("langid-*.npz")] == [made[0].name]
    langident.prepare()
    assert langident._model_arrays(Path(MODEL_DIR) / MODEL_FILE) is not None
    assert len(made) == 1  # the copy is there: neither prepare nor a load unpacks again


def test_prepare_with_a_cache_folder_it_cannot_read_stops_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder the user may not enter (``stat`` fails with EACCES) costs the copy, never the build."""
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "locked"))
    real_stat = Path.stat

    def stat(self: Path, **kwargs: Any) -> Any:
        if "locked" in self.parts:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    langident.prepare()  # no exception
    assert not os.path.exists(tmp_path / "locked")  # (os.stat: not the one made to fail)
