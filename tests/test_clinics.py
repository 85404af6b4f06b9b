"""Clinic editions: profiles, ``{{clinic.…}}`` fields in pages and translations, each clinic's dist/ folder.

Every test builds a copy of tests/data/build/project with one paragraph that names
clinic fields, translated in de, ar and zh_CN, and one or two clinic profiles in
``clinics/``; handouts are off (the PDF tests are in tests/test_editions_shipped.py).
"""

# ruff: noqa: RUF001 -- Arabic and Chinese text is this module's test data.

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import run

from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.errors import CarepagesError
from carepages.extract import run_extract
from carepages.fsutil import write_if_changed
from carepages.gate import collect
from carepages.update import run_update

FIXTURE = Path(__file__).parent / "data" / "build" / "project"
FIELDS = "With questions, call {{clinic.phone}} or ask {{clinic.regulator}}."
TRANSLATED = {
    "de": "Bei Fragen rufen Sie {{clinic.phone}} an oder fragen Sie {{clinic.regulator}}.",
    "ar": "إذا كانت لديك أسئلة، اتصل بالرقم {{clinic.phone}} أو اسأل {{clinic.regulator}}.",
    "zh_CN": "如有疑问，请拨打 {{clinic.phone}} 或咨询{{clinic.regulator}}。",
}
HARBOUR = """\
# EXAMPLE ONLY: a fictional clinic for the tests.
name = "Harbour <Clinic> & \\"Co\\""
phone = "+1 202 555 0199"
emergency = "911"
regulator = "the FDA"
base_url = "https://harbour.example.org/pages"

[locales.de]
regulator = "die FDA"

[locales.ar]
regulator = "إدارة الغذاء والدواء"

[locales.zh_CN]
name = "港湾诊所"
regulator = "美国食品药品监督管理局"
"""
HILL = """\
name = "Hill Clinic"
phone = "+44 20 7946 0999"
regulator = "the MHRA"
"""


def translate(root: Path, locale: str, domain: str, msgid: str, text: str) -> None:
    """Put one translation in through Babel (never by writing PO syntax by hand)."""
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    catalog[msgid].string = text
    catalog[msgid].flags.discard("fuzzy")
    write_if_changed(path, render_catalog(catalog, config.locations))


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The build fixture with a paragraph of clinic fields (translated) and two clinics."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE, target)
    guide = target / "source" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n{FIELDS}\n", encoding="utf-8")
    (target / "clinics").mkdir()
    (target / "clinics" / "harbour.toml").write_text(HARBOUR, encoding="utf-8")
    (target / "clinics" / "hill.toml").write_text(HILL, encoding="utf-8")
    config = load_config(target)
    run_extract(config)
    run_update(config)
    for locale, text in TRANSLATED.items():
        translate(target, locale, "guide", FIELDS, text)
    monkeypatch.chdir(target)
    return target


def read(root: Path, rel: str) -> str:
    return (root / "dist" / rel).read_text(encoding="utf-8")


# -- profiles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "X"\nphnoe = "1"\n', "clinics/bad.toml:2: error: phnoe: unknown key (did you mean 'phone'?)"),
        ('name = "X"\n[locales.dee]\nphone = "1"\n', "clinics/bad.toml:2: error: [locales.dee]: not a configured"),
        ('name = "X"\n\n[locales.de]\nfone = "1"\n', "clinics/bad.toml:4: error: fone: unknown key (did you mean"),
        ('name = "X"\nbase_url = "ftp://x"\n', "clinics/bad.toml:2: error: base_url: must be an absolute http"),
        ('name = "X"\nwebsite = "javascript:alert(1)"\n', "clinics/bad.toml:2: error: website: must be an absolute"),
        ('name = "X"\npaper = "A5"\n', "clinics/bad.toml:2: error: paper: must be one of A4, Letter"),
        ('phone = "1"\n', "clinics/bad.toml:1: error: the clinic has no name"),
        ('name = "X\\u001b[2J"\n', "clinics/bad.toml:1: error: name: must be one line of text"),
        ('name = "X"\nlogo = "../x.png"\n', "clinics/bad.toml:2: error: logo: must be a .png, .svg or .jpg file"),
        ('name = "X"\nlogo = "missing.png"\n', "clinics/bad.toml:2: error: logo: cannot read 'missing.png'"),
        ("name = [\n", "clinics/bad.toml:2: error: invalid TOML"),
    ],
)
def test_a_bad_profile_is_one_error_with_file_line_and_what_to_do(
    root: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (root / "clinics" / "bad.toml").write_text(text, encoding="utf-8")
    result = run(capsys, "build")
    assert result.status == 2 and "Traceback" not in result.err
    assert result.err.startswith(message), result.err
    assert not (root / "dist").exists()


def test_a_logo_is_embedded_so_pages_stay_self_contained(root: Path) -> None:
    (root / "clinics" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (root / "clinics" / "hill.toml").write_text(HILL + 'logo = "logo.svg"\n', encoding="utf-8")
    run_build(load_config(root), jobs=1)
    html = read(root, "hill/de/guide.html")
    assert '<img class="logo" src="data:image/svg+xml;base64,' in html
    assert "img-src 'self' data:" in html and "logo.svg" not in html


def test_a_used_field_without_a_value_fails_naming_clinic_field_and_page(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "clinics" / "hill.toml").write_text(HILL.replace('regulator = "the MHRA"\n', ""), encoding="utf-8")
    result = run(capsys, "build")
    assert result.status == 2
    assert result.err.startswith(
        "clinics/hill.toml: error: clinic 'hill' has no value for 'regulator' (every locale), "
        "which page 'guide' uses ({{clinic.regulator}} at source/guide.md:"
    )
    assert '(add regulator = "..." to clinics/hill.toml)' in result.err
    assert not (root / "dist").exists()


def test_a_value_missing_in_one_locale_names_that_locale(root: Path) -> None:
    text = HARBOUR.replace('regulator = "the FDA"\n', "")
    (root / "clinics" / "harbour.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CarepagesError, match=r"no value for 'regulator' \(locale en\)"):
        run_build(load_config(root), jobs=1)


def test_a_field_that_is_not_one_is_a_source_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guide = root / "source" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nCall {{clinic.fone}} today.\n", encoding="utf-8")
    result = run(capsys, "extract")
    assert result.status == 2
    assert "source/guide.md:" in result.err
    assert "'{{clinic.fone}}' is not a clinic field (did you mean '{{clinic.phone}}'?)" in result.err


# -- the editions -----------------------------------------------------------------------------


def test_each_clinic_gets_its_own_edition_with_index_manifest_and_bundles(root: Path) -> None:
    summary = run_build(load_config(root), jobs=1)
    assert summary.editions == ("harbour", "hill") and not summary.failed
    dist = root / "dist"
    assert sorted(p.name for p in dist.iterdir()) == ["REPORT.txt", "harbour", "hill"]
    for clinic in ("harbour", "hill"):
        manifest = json.loads(read(root, f"{clinic}/manifest.json"))
        assert manifest["clinic"] == clinic
        for rel, info in manifest["files"].items():
            assert (dist / clinic / rel).stat().st_size == info["size"]
        with zipfile.ZipFile(dist / clinic / "downloads" / "de.zip") as bundle:
            assert bundle.namelist()[0] == "de/index.html"
        assert "<h1>Patient information</h1>" in read(root, f"{clinic}/index.html")


def test_every_page_shows_the_clinics_own_details_in_every_language(root: Path) -> None:
    run_build(load_config(root), jobs=1)
    for locale in ("en", "de", "ar", "zh_CN"):
        for name in ("guide", "overview"):
            assert "+1 202 555 0199" in read(root, f"harbour/{locale}/{name}.html")
            assert "+1 202 555 0199" in read(root, f"harbour/{locale}/{name}.txt")
            assert "+44 20 7946 0999" in read(root, f"hill/{locale}/{name}.txt")
    assert "Bei Fragen rufen Sie +1 202 555 0199 an oder fragen Sie die FDA." in read(root, "harbour/de/guide.txt")
    assert "或咨询美国食品药品监督管理局。" in read(root, "harbour/zh_CN/guide.html")
    assert "港湾诊所" in read(root, "harbour/zh_CN/guide.html")
    assert "fragen Sie the MHRA" in read(root, "hill/de/guide.html")  # no override: the profile's own value
    assert '<a href="tel:+12025550199" dir="ltr">+1 202 555 0199</a>' in read(root, "harbour/de/guide.html")
    assert "{{" not in read(root, "hill/de/guide.html")


def test_values_are_escaped_in_html_and_plain_in_text(root: Path) -> None:
    run_build(load_config(root), jobs=1)
    html, text = read(root, "harbour/en/guide.html"), read(root, "harbour/en/guide.txt")
    assert "Harbour &lt;Clinic&gt; &amp; &#34;Co&#34;" in html and "<Clinic>" not in html
    assert 'Harbour <Clinic> & "Co"' in text


def test_links_are_absolute_with_a_base_url_and_stay_inside_the_bundle_without(root: Path) -> None:
    run_build(load_config(root), jobs=1)
    harbour = read(root, "harbour/de/guide.html")
    assert '<link rel="alternate" hreflang="ar" href="https://harbour.example.org/pages/ar/guide.html">' in harbour
    assert '<a href="overview.html" rel=' in harbour  # a page of the same language: inside the bundle
    assert "<1> https://harbour.example.org/pages/de/overview.html" in read(root, "harbour/de/guide.txt")
    hill = read(root, "hill/de/guide.html")  # no base URL: no address would work both online and offline
    assert 'rel="alternate"' not in hill and 'class="languages"' not in hill and "../" not in hill


def test_clinic_option_builds_only_that_edition(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "build", "--clinic", "hill").status == 0
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["REPORT.txt", "hill"]
    result = run(capsys, "build", "--clinic", "hil")
    assert result.status == 2 and "clinic 'hil' is not configured (did you mean 'hill'?)" in result.err


def test_without_clinics_the_neutral_wording_stands_in_every_language(root: Path) -> None:
    shutil.rmtree(root / "clinics")
    run_build(load_config(root), jobs=1)
    english, german = (" ".join(read(root, f"{code}/guide.txt").split()) for code in ("en", "de"))
    assert "call your clinic's phone number or ask the medicines regulator in your country." in english
    assert "rufen Sie die Telefonnummer Ihrer Klinik an oder fragen Sie die Arzneimittelbehörde Ihres Landes" in german
    assert "Your clinic" not in read(root, "en/guide.html")  # no clinic box


# -- translations of fields -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("Bei Fragen rufen Sie an oder fragen Sie {{clinic.regulator}}.", "missing {{clinic.phone}}"),
        (
            "Bei Fragen rufen Sie {{ clinic.phone }} an oder fragen Sie {{clinic.regulator}}.",
            "{{clinic.phone}} changed to {{ clinic.phone }}",
        ),
        (
            "Bei Fragen rufen Sie {{klinik.telefon}} an oder fragen Sie {{clinic.regulator}}.",
            "{{clinic.phone}} changed to {{klinik.telefon}}",
        ),
        (
            "Bei Fragen rufen Sie {{clinic.phone}} oder {{clinic.website}} an; fragen Sie {{clinic.regulator}}.",
            "added {{clinic.website}}",
        ),
    ],
)
def test_a_translation_that_drops_or_alters_a_field_withholds_its_page(
    root: Path, translation: str, problem: str
) -> None:
    translate(root, "de", "guide", FIELDS, translation)
    report = collect(load_config(root), ["de"])
    found = [f for f in report.findings if f.code == "clinic-fields"]
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].problem.path == "locale/de/LC_MESSAGES/guide.po" and found[0].problem.line > 0
    assert problem in found[0].problem.message
    run_build(load_config(root), jobs=1)
    assert not (root / "dist" / "harbour" / "de" / "guide.html").exists()
    assert (root / "dist" / "harbour" / "de" / "overview.html").exists()
    assert "Bei Fragen" not in (root / "dist" / "harbour" / "de" / "overview.html").read_text(encoding="utf-8")


def test_catalogs_tell_translators_to_keep_each_field(root: Path) -> None:
    pot = (root / "locale" / "templates" / "guide.pot").read_text(encoding="utf-8")
    assert "#. keep {{clinic.phone}}, {{clinic.regulator}} exactly as it is" in pot


def test_pages_follow_the_authors_order_on_the_index(root: Path) -> None:
    overview = root / "source" / "overview.md"
    overview.write_text(overview.read_text(encoding="utf-8").replace("---\n", "---\norder: 1\n", 1), encoding="utf-8")
    guide = root / "source" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("---\n", "---\norder: 2\n", 1), encoding="utf-8")
    run_build(load_config(root), jobs=1)
    index = read(root, "hill/index.html")
    assert index.index('href="en/overview.html"') < index.index('href="en/guide.html"')
    again = run_build(load_config(root), jobs=1)  # from the cache, whose JSON sorts its keys
    assert not again.changed and read(root, "hill/index.html") == index
    guide.write_text(guide.read_text(encoding="utf-8").replace("order: 2", "order: second"), encoding="utf-8")
    with pytest.raises(CarepagesError, match="order must be a whole number"):
        run_build(load_config(root), jobs=1)
