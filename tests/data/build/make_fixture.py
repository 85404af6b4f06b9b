"""Regenerate the catalogs of tests/data/build/project (run by hand after changing its source).

    .venv/bin/python tests/data/build/make_fixture.py

Catalogs are never written by hand: this runs ``extract`` and ``update`` on the
fixture project, then fills each msgstr through carepages' own catalog code. The
German translation is signed off by a reviewer (signoff.tsv); the Arabic and Chinese ones are drafts, and the
Chinese one leaves one paragraph untranslated, so its pages show the fallback notice.
After running it, regenerate the golden files with
``CAREPAGES_UPDATE_GOLDEN=1 scripts/test tests/test_build_golden.py``.
"""

# Translations use their languages' own punctuation (fullwidth, typographic quotes).
# ruff: noqa: RUF001

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from carepages.catalogs import read_catalog, render_catalog
from carepages.catalog_paths import po_path
from carepages.config import Config, load_config
from carepages.extract import run_extract
from carepages.fsutil import write_if_changed
from carepages.signing import apply_signing, plan_signing
from carepages.ui import ui_disclaimers
from carepages.update import run_update
from carepages.waivers import signoff_record, waivers_path

PROJECT = Path(__file__).parent / "project"

#: The interface strings of the page templates, for every locale the tests and the project ship.
UI: dict[str, dict[str, str]] = {
    "de": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "Ein Teil dieser Seite (%(share)s) ist noch nicht übersetzt und wird auf %(language)s angezeigt.",
        "About this translation": "Über diese Übersetzung",
        "This translation has not yet been reviewed by a medical translator.": (
            "Diese Übersetzung wurde noch nicht von einer medizinischen Fachübersetzerin "
            "oder einem medizinischen Fachübersetzer geprüft."
        ),
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "Teile dieser Seite sind noch nicht übersetzt und werden auf %(language)s angezeigt."
        ),
        "Important information": "Wichtige Informationen",
        "Last reviewed: %(date)s": "Zuletzt medizinisch geprüft: %(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "Übersetzung geprüft von %(reviewer)s am %(date)s.",
        "Translation reviewed on %(date)s.": "Übersetzung geprüft am %(date)s.",
        "References": "Verweise",
        "Important": "Wichtig",
        ":": ":",
        "Languages": "Sprachen",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "Diese Seite wurde aus der Fassung auf %(language)s vom %(date)s übersetzt. Die Seite auf %(language)s wurde seitdem geändert; die Änderungen sind noch nicht übersetzt."
        ),
        "Read the current %(language)s page": "Die aktuelle Seite auf %(language)s lesen",
    },
    "es": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "Una parte de esta página (%(share)s) aún no está traducida y se muestra en %(language)s.",
        "About this translation": "Acerca de esta traducción",
        "This translation has not yet been reviewed by a medical translator.": (
            "Esta traducción todavía no ha sido revisada por un traductor médico."
        ),
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "Algunas partes de esta página aún no están traducidas y se muestran en %(language)s."
        ),
        "Important information": "Información importante",
        "Last reviewed: %(date)s": "Última revisión médica: %(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "Traducción revisada por %(reviewer)s el %(date)s.",
        "Translation reviewed on %(date)s.": "Traducción revisada el %(date)s.",
        "References": "Referencias",
        "Important": "Importante",
        ":": ":",
        "Languages": "Idiomas",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "Esta página se tradujo de la versión en %(language)s del %(date)s. La página en %(language)s ha cambiado desde entonces y los cambios aún no están traducidos."
        ),
        "Read the current %(language)s page": "Leer la página actual en %(language)s",
    },
    "fr": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "Une partie de cette page (%(share)s) n’est pas encore traduite et s’affiche en %(language)s.",
        "About this translation": "À propos de cette traduction",
        "This translation has not yet been reviewed by a medical translator.": (
            "Cette traduction n’a pas encore été relue par un traducteur médical."
        ),
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "Certaines parties de cette page ne sont pas encore traduites et sont affichées en %(language)s."
        ),
        "Important information": "Informations importantes",
        "Last reviewed: %(date)s": "Dernière révision médicale\u00a0: %(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "Traduction relue par %(reviewer)s le %(date)s.",
        "Translation reviewed on %(date)s.": "Traduction relue le %(date)s.",
        "References": "Références",
        "Important": "Important",
        ":": "\u00a0:",
        "Languages": "Langues",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "Cette page a été traduite à partir de la version en %(language)s du %(date)s. La page en %(language)s a changé depuis, et les modifications ne sont pas encore traduites."
        ),
        "Read the current %(language)s page": "Lire la page actuelle en %(language)s",
    },
    "pt_BR": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "Uma parte desta página (%(share)s) ainda não foi traduzida e aparece em %(language)s.",
        "About this translation": "Sobre esta tradução",
        "This translation has not yet been reviewed by a medical translator.": (
            "Esta tradução ainda não foi revisada por um tradutor médico."
        ),
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "Partes desta página ainda não foram traduzidas e são exibidas em %(language)s."
        ),
        "Important information": "Informações importantes",
        "Last reviewed: %(date)s": "Última revisão médica: %(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "Tradução revisada por %(reviewer)s em %(date)s.",
        "Translation reviewed on %(date)s.": "Tradução revisada em %(date)s.",
        "References": "Referências",
        "Important": "Importante",
        ":": ":",
        "Languages": "Idiomas",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "Esta página foi traduzida da versão em %(language)s de %(date)s. A página em %(language)s mudou desde então, e as mudanças ainda não foram traduzidas."
        ),
        "Read the current %(language)s page": "Ler a página atual em %(language)s",
    },
    "ar": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "جزء من هذه الصفحة (%(share)s) لم يُترجم بعد ويظهر باللغة %(language)s.",
        "About this translation": "حول هذه الترجمة",
        "This translation has not yet been reviewed by a medical translator.": "لم يراجع مترجم طبي هذه الترجمة بعد.",
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "بعض أجزاء هذه الصفحة لم تُترجم بعد وتُعرض باللغة %(language)s."
        ),
        "Important information": "معلومات مهمة",
        "Last reviewed: %(date)s": "آخر مراجعة طبية: %(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "راجع الترجمة %(reviewer)s بتاريخ %(date)s.",
        "Translation reviewed on %(date)s.": "رُوجعت الترجمة بتاريخ %(date)s.",
        "References": "المراجع",
        "Important": "مهم",
        ":": ":",
        "Languages": "اللغات",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "تُرجمت هذه الصفحة عن النسخة المنشورة باللغة %(language)s بتاريخ %(date)s. وقد تغيّرت الصفحة باللغة %(language)s منذ ذلك الحين، ولم تُترجم هذه التغييرات بعد."
        ),
        "Read the current %(language)s page": "اقرأ الصفحة الحالية باللغة %(language)s",
    },
    "zh_CN": {
        "%(share)s of this page is not yet translated and is shown in %(language)s.": "本页有一部分内容（%(share)s）尚未翻译，以%(language)s显示。",
        "About this translation": "关于本译文",
        "This translation has not yet been reviewed by a medical translator.": "本译文尚未经过医学翻译人员审校。",
        "Parts of this page are not yet translated and are shown in %(language)s.": (
            "本页部分内容尚未翻译，以%(language)s显示。"
        ),
        "Important information": "重要信息",
        "Last reviewed: %(date)s": "最后医学审核日期：%(date)s",
        "Translation reviewed by %(reviewer)s on %(date)s.": "译文由%(reviewer)s于%(date)s审校。",
        "Translation reviewed on %(date)s.": "译文于%(date)s审校。",
        "References": "参考链接",
        "Important": "重要",
        ":": "：",
        "Languages": "语言",
        "This page was translated from the %(language)s version of %(date)s. The %(language)s page has changed "
        "since then, and the changes are not yet translated.": (
            "本页译自%(date)s的%(language)s版本。此后%(language)s页面已有更改，这些更改尚未翻译。"
        ),
        "Read the current %(language)s page": "阅读当前的%(language)s页面",
    },
}

_PARAGRAPH = (
    "Some clinics offer **injections** into the knee. Read [the overview](overview.html) first, "
    'and see the [trial register](https://example.org/trials "Clinical trials") for studies.'
)
_NOT_ADVICE = (
    "This page is general information, not medical advice. Talk to a qualified clinician about your own situation."
)

#: The fixture's pages and shared disclaimers, by locale and domain.
PAGES: dict[str, dict[str, dict[str, str]]] = {
    "de": {
        "guide": {
            "Knee injections": "Knie-Injektionen",
            "What a knee injection is, what it may do, and what to ask first.": (
                "Was eine Knie-Injektion ist, was sie bewirken kann und was Sie vorher fragen sollten."
            ),
            _PARAGRAPH: (
                "Manche Kliniken bieten **Injektionen** in das Knie an. "
                "Lesen Sie zuerst [die Übersicht](overview.html) "
                'und suchen Sie Studien im [Studienregister](https://example.org/trials "Klinische Studien").'
            ),
            "What to ask": "Was Sie fragen sollten",
            "Is the treatment approved in this country?": "Ist die Behandlung in diesem Land zugelassen?",
            "What will it cost in total?": "Was kostet sie insgesamt?",
            "Source": "Quelle",
            "Where it is taken from": "Wo sie entnommen wird",
            "Bone marrow": "Knochenmark",
            "The hip bone": "Der Beckenknochen",
            "Fat tissue": "Fettgewebe",
            "The belly": "Der Bauch",
            "Ask for the answers in writing.": "Lassen Sie sich die Antworten schriftlich geben.",
            "Good to know": "Gut zu wissen",
            "Most people go home the same day.": "Die meisten Menschen gehen am selben Tag nach Hause.",
            "No clinic can guarantee a result.": "Keine Klinik kann ein Ergebnis garantieren.",
            "Results are reported with `mean ± SD` values.": "Ergebnisse werden als Werte `mean ± SD` angegeben.",
        },
        "overview": {
            "Overview": "Übersicht",
            "A short overview.": "Eine kurze Übersicht.",
            "Stem cell injections are still being studied.": "Stammzell-Injektionen werden noch erforscht.",
        },
        "disclaimers": {
            _NOT_ADVICE: (
                "Diese Seite bietet allgemeine Informationen und ist keine ärztliche Beratung. "
                "Sprechen Sie mit einer qualifizierten Fachperson über Ihre eigene Situation."
            ),
            "In an emergency, call your local emergency number right away.": (
                "Rufen Sie im Notfall sofort Ihre örtliche Notrufnummer an."
            ),
        },
    },
    "ar": {
        "guide": {
            "Knee injections": "حقن الركبة",
            "What a knee injection is, what it may do, and what to ask first.": (
                "ما هي حقنة الركبة، وما الذي قد تفعله، وما الذي يجب أن تسأل عنه أولاً."
            ),
            _PARAGRAPH: (
                "تقدّم بعض العيادات **حقنًا** في الركبة. اقرأ [النظرة العامة](overview.html) أولاً، "
                'وراجع [سجل التجارب](https://example.org/trials "التجارب السريرية") للاطلاع على الدراسات.'
            ),
            "What to ask": "ما الذي تسأل عنه",
            "Is the treatment approved in this country?": "هل العلاج معتمد في هذا البلد؟",
            "What will it cost in total?": "كم ستكون التكلفة الإجمالية؟",
            "Source": "المصدر",
            "Where it is taken from": "من أين يُؤخذ",
            "Bone marrow": "نخاع العظم",
            "The hip bone": "عظم الورك",
            "Fat tissue": "الأنسجة الدهنية",
            "The belly": "البطن",
            "Ask for the answers in writing.": "اطلب الإجابات مكتوبة.",
            "Good to know": "من المفيد أن تعرف",
            "Most people go home the same day.": "يعود معظم الناس إلى منازلهم في اليوم نفسه.",
            "No clinic can guarantee a result.": "لا يمكن لأي عيادة أن تضمن نتيجة.",
            "Results are reported with `mean ± SD` values.": "تُعرض النتائج بقيم `mean ± SD`.",
        },
        "overview": {
            "Overview": "نظرة عامة",
            "A short overview.": "نظرة عامة موجزة.",
            "Stem cell injections are still being studied.": "لا تزال حقن الخلايا الجذعية قيد الدراسة.",
        },
        "disclaimers": {
            _NOT_ADVICE: "هذه الصفحة معلومات عامة وليست نصيحة طبية. تحدّث مع طبيب مؤهل عن حالتك الخاصة.",
            "In an emergency, call your local emergency number right away.": (
                "في حالة الطوارئ، اتصل برقم الطوارئ المحلي فورًا."
            ),
        },
    },
    "zh_CN": {
        "guide": {
            "Knee injections": "膝关节注射",
            "What a knee injection is, what it may do, and what to ask first.": (
                "什么是膝关节注射、它可能有什么作用，以及事先应该问什么。"
            ),
            _PARAGRAPH: (
                "一些诊所提供膝关节**注射**。请先阅读[概述](overview.html)，"
                '并在[临床试验登记库](https://example.org/trials "临床试验")中查找相关研究。'
            ),
            "What to ask": "应该问什么",
            "Is the treatment approved in this country?": "这种治疗在本国是否获得批准？",
            "What will it cost in total?": "总共需要多少费用？",
            "Source": "来源",
            "Where it is taken from": "取自何处",
            "Bone marrow": "骨髓",
            "The hip bone": "髋骨",
            "Fat tissue": "脂肪组织",
            "The belly": "腹部",
            # "Ask for the answers in writing." stays untranslated: the page shows the fallback notice.
            "Good to know": "须知",
            "Most people go home the same day.": "大多数人当天即可回家。",
            "No clinic can guarantee a result.": "没有任何诊所能够保证治疗效果。",
            "Results are reported with `mean ± SD` values.": "结果以 `mean ± SD` 值报告。",
        },
        "overview": {
            "Overview": "概述",
            "A short overview.": "简短概述。",
            "Stem cell injections are still being studied.": "干细胞注射仍在研究之中。",
        },
        "disclaimers": {
            _NOT_ADVICE: "本页面仅提供一般信息，不构成医疗建议。请就您自己的情况咨询合格的临床医生。",
            "In an emergency, call your local emergency number right away.": "如遇紧急情况，请立即拨打当地急救电话。",
        },
    },
}

#: Interface strings of the clinic editions, the index and the handouts (issue 14).
CLINIC_UI: dict[str, dict[str, str]] = {'de': {'Your clinic': 'Ihre Klinik',
        'Phone:': 'Telefon:',
        'Website:': 'Website:',
        'In an emergency, call %(number)s.': 'Im Notfall rufen Sie %(number)s an.',
        'your clinic': 'Ihre Klinik',
        "your clinic's address": 'die Adresse Ihrer Klinik',
        "your clinic's phone number": 'die Telefonnummer Ihrer Klinik',
        "your clinic's website": 'die Website Ihrer Klinik',
        'your local emergency number': 'die örtliche Notrufnummer',
        'the medicines regulator in your country': 'die Arzneimittelbehörde Ihres Landes',
        'This page online:': 'Diese Seite online:',
        'Text': 'Text',
        'PDF': 'PDF',
        'Download every page in this language (ZIP)': 'Alle Seiten in dieser Sprache herunterladen (ZIP)',
        'All languages': 'Alle Sprachen',
        'All pages': 'Alle Seiten',
        'Patient information': 'Informationen für Patientinnen und Patienten'},
 'es': {'Your clinic': 'Su clínica',
        'Phone:': 'Teléfono:',
        'Website:': 'Sitio web:',
        'In an emergency, call %(number)s.': 'En caso de emergencia, llame al %(number)s.',
        'your clinic': 'su clínica',
        "your clinic's address": 'la dirección de su clínica',
        "your clinic's phone number": 'el número de teléfono de su clínica',
        "your clinic's website": 'el sitio web de su clínica',
        'your local emergency number': 'el número de emergencias de su zona',
        'the medicines regulator in your country': 'la autoridad reguladora de medicamentos de su país',
        'This page online:': 'Esta página en internet:',
        'Text': 'Texto',
        'PDF': 'PDF',
        'Download every page in this language (ZIP)': 'Descargar todas las páginas en este idioma (ZIP)',
        'All languages': 'Todos los idiomas',
        'All pages': 'Todas las páginas',
        'Patient information': 'Información para pacientes'},
 'fr': {'Your clinic': 'Votre clinique',
        'Phone:': 'Téléphone\xa0:',
        'Website:': 'Site web\xa0:',
        'In an emergency, call %(number)s.': 'En cas d’urgence, appelez le %(number)s.',
        'your clinic': 'votre clinique',
        "your clinic's address": 'l’adresse de votre clinique',
        "your clinic's phone number": 'le numéro de téléphone de votre clinique',
        "your clinic's website": 'le site web de votre clinique',
        'your local emergency number': 'le numéro d’urgence local',
        'the medicines regulator in your country': 'l’autorité du médicament de votre pays',
        'This page online:': 'Cette page en ligne\xa0:',
        'Text': 'Texte',
        'PDF': 'PDF',
        'Download every page in this language (ZIP)': 'Télécharger toutes les pages dans cette langue (ZIP)',
        'All languages': 'Toutes les langues',
        'All pages': 'Toutes les pages',
        'Patient information': 'Informations pour les patients'},
 'pt_BR': {'Your clinic': 'Sua clínica',
           'Phone:': 'Telefone:',
           'Website:': 'Site:',
           'In an emergency, call %(number)s.': 'Em caso de emergência, ligue para %(number)s.',
           'your clinic': 'sua clínica',
           "your clinic's address": 'o endereço da sua clínica',
           "your clinic's phone number": 'o telefone da sua clínica',
           "your clinic's website": 'o site da sua clínica',
           'your local emergency number': 'o número de emergência local',
           'the medicines regulator in your country': 'a agência reguladora de medicamentos do seu país',
           'This page online:': 'Esta página na internet:',
           'Text': 'Texto',
           'PDF': 'PDF',
           'Download every page in this language (ZIP)': 'Baixar todas as páginas neste idioma (ZIP)',
           'All languages': 'Todos os idiomas',
           'All pages': 'Todas as páginas',
           'Patient information': 'Informações para pacientes'},
 'ar': {'Your clinic': 'عيادتك',
        'Phone:': 'الهاتف:',
        'Website:': 'الموقع الإلكتروني:',
        'In an emergency, call %(number)s.': 'في حالات الطوارئ، اتصل بالرقم %(number)s.',
        'your clinic': 'عيادتك',
        "your clinic's address": 'عنوان عيادتك',
        "your clinic's phone number": 'رقم هاتف عيادتك',
        "your clinic's website": 'الموقع الإلكتروني لعيادتك',
        'your local emergency number': 'رقم الطوارئ المحلي',
        'the medicines regulator in your country': 'الجهة المنظِّمة للأدوية في بلدك',
        'This page online:': 'هذه الصفحة على الإنترنت:',
        'Text': 'نص',
        'PDF': 'PDF',
        'Download every page in this language (ZIP)': 'تنزيل كل الصفحات بهذه اللغة (ZIP)',
        'All languages': 'كل اللغات',
        'All pages': 'كل الصفحات',
        'Patient information': 'معلومات للمرضى'},
 'zh_CN': {'Your clinic': '您的诊所',
           'Phone:': '电话：',
           'Website:': '网站：',
           'In an emergency, call %(number)s.': '如遇紧急情况，请拨打 %(number)s。',
           'your clinic': '您的诊所',
           "your clinic's address": '您诊所的地址',
           "your clinic's phone number": '您诊所的电话号码',
           "your clinic's website": '您诊所的网站',
           'your local emergency number': '当地的急救电话',
           'the medicines regulator in your country': '您所在国家的药品监管机构',
           'This page online:': '本页的网上版本：',
           'Text': '纯文本',
           'PDF': 'PDF',
           'Download every page in this language (ZIP)': '下载此语言的全部页面（ZIP）',
           'All languages': '所有语言',
           'All pages': '所有页面',
           'Patient information': '患者须知'}}
for _locale, _strings in CLINIC_UI.items():
    UI[_locale].update(_strings)

REVIEWS = {
    "de": 'status = "reviewed"\nreviewer = "Dr. Anna Beispiel"\nreviewed_on = 2026-11-22\n',
    "ar": 'status = "draft"\nreviewer = ""\nreviewed_on = ""\n',
    "zh_CN": 'status = "draft"\nreviewer = ""\nreviewed_on = ""\n',
}

#: Who signed off which locale (carepages review sign), and when: the others are drafts.
SIGNOFFS = {"de": ("Dr. Anna Beispiel", dt.date(2026, 11, 22))}


def fill(config: Config, locale: str, domain: str, strings: dict[str, str]) -> bool:
    """Put ``strings`` into the locale's catalog of ``domain`` (through Babel); True if the file changed."""
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    unknown = set(strings) - {message.id for message in catalog if message.id}
    if unknown:
        raise SystemExit(f"{config.relative(path)}: no such msgid: {sorted(unknown)!r}")
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
            message.flags.discard("fuzzy")
    return write_if_changed(path, render_catalog(catalog, config.locations))


def main() -> int:
    config = load_config(PROJECT)
    run_extract(config)
    run_update(config)
    for locale, domains in PAGES.items():
        for domain, strings in {**domains, "ui": UI[locale]}.items():
            fill(config, locale, domain, strings)
    for locale in PAGES:
        write_if_changed(waivers_path(config, locale), signoffs(locale).encode("utf-8"))
    for locale, (reviewer, day) in SIGNOFFS.items():
        plan = plan_signing(config, locale, reviewer, day=day)
        if plan.blocked:
            raise SystemExit(f"{locale}: cannot sign {[reason for _, reason in plan.blocked]}")
        apply_signing(config, plan)
    return 0


def signoffs(locale: str) -> str:
    """The reviewer's sign-off of the interface strings with safety meaning, as translated in UI."""
    day = dt.date(2026, 11, 30)
    return "\n".join(signoff_record(msgid, UI[locale][msgid], "Dr. Anna Beispiel", day) for msgid in ui_disclaimers())


if __name__ == "__main__":
    sys.exit(main())
