"""The language identifier: restricted to the project's languages, and holding only their columns."""

from __future__ import annotations

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

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
