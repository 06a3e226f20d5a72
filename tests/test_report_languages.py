"""The report in its reader's language (issue 19): findings written in the active language, the
report page in the person's language, the PDF and share links in the language chosen for the
clinician, and free text shown as written, marked as the person's own words."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from diary.medication import OPIOID, PARACETAMOL, MedicineTaken
from diary.models import ShareLink
from diary.peg import PegRecord
from diary.rules import RULES, NightRecord, ProfileFacts, build_report
from diary.services import save_language
from tests.factories import make_bed, make_night

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
END = date(2026, 11, 30)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# Three English words in a row (lower case, 3+ letters): an untranslated sentence. Names the
# person wrote and source names ("NICE NG65", "Krebs 2009") are capitalised or short.
ENGLISH_RUN = re.compile(r"\b[a-z]{3,} [a-z]{3,} [a-z]{3,}\b")


def day(offset: int) -> date:
    return END + timedelta(days=offset)


def night(offset: int, pain: int = 3, **fields) -> NightRecord:
    for key in ("pain_areas", "eased_by", "symptoms"):
        if key in fields:
            fields[key] = frozenset(fields[key])
    return NightRecord(date=day(offset), night_pain=pain, **fields)


def nights(offsets, pain: int = 3, **fields) -> list[NightRecord]:
    return [night(offset, pain, **fields) for offset in offsets]


def replace(base: list[NightRecord], *changed: NightRecord) -> list[NightRecord]:
    by_date = {n.date: n for n in base} | {n.date: n for n in changed}
    return sorted(by_date.values(), key=lambda n: n.date)


CODEINE = MedicineTaken(1, "Codeine", OPIOID, 1, Decimal(30))
PARACETAMOL_1G = MedicineTaken(2, "Paracetamol", PARACETAMOL, 5, Decimal(1000))


def scenarios() -> list[dict]:
    """Diaries that, between them, give a finding of every rule in the RULES table (and both
    wordings of the NICE spondyloarthritis rule)."""
    fortnight = range(-13, 1)
    urgent = replace(
        nights(fortnight),
        night(0, 5, symptoms={"saddle_numbness", "pain_in_waves"}, pain_areas={"flank_right"}, temperature_c=38.6),
    )
    every = {"pain_areas": {"leg"}, "night_urinations": 3}
    special = {
        -13: {"morning_pain_minutes": 45, "woke_by_pain": "early", "eased_by": {"nothing"}},
        -12: {"morning_pain_minutes": 45, "woke_by_pain": "early", "eased_by": {"nothing"}},
        -11: {"morning_pain_minutes": 45, "woke_by_pain": "early", "eased_by": {"nothing"}},
        -10: {
            "morning_pain_minutes": 45,
            "woke_by_pain": "early",
            "eased_by": {"nothing"},
            "symptoms": {"leg_weakness"},
        },
        -9: {"woke_by_pain": "early"},
        -8: {"woke_by_pain": "early"},
        -7: {"woke_by_pain": "early"},
        -6: {"woke_by_pain": "early"},
        -5: {"pain_areas": {"flank_left", "leg"}, "temperature_c": 38.4, "symptoms": {"nausea"}},
        -3: {"pain_areas": {"flank_left", "groin", "leg"}},
        -2: {"pain_areas": {"leg", "upper_back"}},
        -1: {"pain_areas": {"leg", "upper_back"}, "symptoms": {"blood_in_urine"}},
        0: {"pain_areas": {"leg", "upper_back"}},
    }
    earlier = [night(offset, 4, **(every | special.get(offset, {}))) for offset in fortnight]
    risk = ProfileFacts(birth_year=1960, back_pain_since=date(2020, 1, 1), history_of_cancer=True)
    beds_helped = nights(range(-40, -26), 6, bed_name="Old") + nights(range(-26, 1), 2, bed_name="New")
    beds_no_effect = nights(range(-41, -27), 5, bed_name="Old") + nights(range(-27, 1), 5, bed_name="New")
    beds_too_early = nights(range(-18, -4), 5, bed_name="Old") + nights(range(-4, 1), 4, bed_name="New")
    inflammatory = [
        night(offset, 4, woke_by_pain="late", pain_areas={"buttock_left" if offset % 2 else "buttock_right"})
        for offset in range(-20, 1)
    ]
    buttocks = [night(offset, 4, pain_areas={"buttock_left"}) for offset in range(-20, 1)]
    young = {"birth_year": 1995, "back_pain_since": date(2025, 1, 1), "psoriasis_arthritis_enthesitis": True}
    stress = [night(offset, offset % 7 + 2, stress=offset % 7 + 3) for offset in range(-24, 1)]
    medicines = [night(offset, 4, medicines=(CODEINE,)) for offset in range(-9, 1)]
    medicines[0] = night(-9, 4, medicines=(CODEINE, PARACETAMOL_1G))
    return [
        {"nights": urgent},
        {"nights": earlier, "profile": risk},
        {"nights": nights(fortnight, 2, morning_pain_minutes=20)},  # MORNING_PAIN_PERSISTS
        {"nights": nights(fortnight, 2, morning_pain_minutes=10)},  # BED_LIKELY
        {"nights": nights(range(-27, -6), 2) + nights(range(-6, 1), 6)},  # PAIN_WORSENING
        {"nights": nights(range(-29, 1), 6)},  # PAIN_NOT_IMPROVING
        {"nights": stress},
        {"nights": nights(range(-2, 1)), "start": day(-13)},  # NOT_ENOUGH_DATA
        {"nights": beds_helped, "start": day(-27)},
        {"nights": beds_no_effect, "start": day(-27)},
        {"nights": beds_too_early, "start": day(-4)},
        {"nights": inflammatory, "profile": ProfileFacts(**young, family_spondyloarthritis=True)},  # refer
        {"nights": buttocks, "profile": ProfileFacts(**young)},  # exactly three: HLA-B27
        {"nights": medicines, "peg": [PegRecord(day(-9), 3, 3, 3), PegRecord(day(0), 7, 7, 7)]},
        {"nights": medicines, "peg": [PegRecord(day(-9), 7, 7, 7), PegRecord(day(0), 3, 3, 3)]},
    ]


def build(scenario: dict, language: str):
    nights_ = scenario["nights"]
    with translation.override(language):
        return build_report(
            nights_,
            scenario.get("profile"),
            scenario.get("start", nights_[0].date),
            END,
            peg=scenario.get("peg", ()),
        )


FIELDS = ("title", "message", "clinician_message", "detail", "tell_doctor", "clinical_title")


def test_every_rule_of_the_table_writes_each_of_its_texts_in_russian_too():
    fired = set()
    for scenario in scenarios():
        english, russian = build(scenario, "en-gb"), build(scenario, "ru")
        assert [f.code for f in english.findings] == [f.code for f in russian.findings]
        for en, ru in zip(english.findings, russian.findings, strict=True):
            fired.add(en.code)
            for field in FIELDS:
                en_text, ru_text = getattr(en, field), getattr(ru, field)
                assert en_text and ru_text, (en.code, field)
                assert ru_text != en_text, (en.code, field, ru_text)
                assert CYRILLIC.search(ru_text), (en.code, field, ru_text)
                assert not ENGLISH_RUN.search(ru_text), (en.code, field, ENGLISH_RUN.search(ru_text), ru_text)
                assert not CYRILLIC.search(en_text), (en.code, field, en_text)
    assert fired == {rule.code for rule in RULES}


def test_both_wordings_of_the_spondyloarthritis_rule_are_translated():
    titles = [
        finding.title
        for scenario in scenarios()[-4:-2]
        for finding in build(scenario, "ru").findings
        if finding.code == "SPA_REFERRAL_CRITERIA"
    ]
    assert titles == [
        "Ваши ответы соответствуют критериям NICE для направления к ревматологу",
        "Ваши ответы соответствуют трём критериям спондилоартрита NICE",
    ]


@pytest.mark.parametrize(
    ("count", "logged", "nights_word"),
    [(1, "1 записанная ночь", "1 ночь"), (2, "2 записанные ночи", "2 ночи"), (5, "5 записанных ночей", "5 ночей")],
)
def test_russian_findings_use_the_right_plural_form(count, logged, nights_word):
    with translation.override("ru"):
        report = build_report(nights(range(-(count - 1), 1)), None, day(-13), END)
    short = next(f for f in report.findings if f.code == "NOT_ENOUGH_DATA")
    assert f"В этом отчёте {logged}." in short.message
    assert f"Пока я записал(а) {nights_word}," in short.tell_doctor


def test_russian_dates_and_numbers_in_findings():
    diary = nights(range(-13, 1), 4, pain_areas={"leg"})
    with translation.override("ru"):
        leg = next(f for f in build_report(diary, None, day(-13), END).findings if f.code == "LEG_PAIN_PERSISTS")
    assert "17–30 ноября 2026" in leg.clinician_message
    assert "14 ночей" in leg.clinician_message


# --- Pages, PDFs, share links and the command ---------------------------------------------------


@pytest.fixture
def pinned_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def diary(alice, pinned_now):
    """Two weeks: leg pain every night, one night of 38.4 °C, a note and a bed named in Russian."""
    bed = make_bed(alice, "Старый матрас")
    for offset in range(-13, 1):
        make_night(alice, bed, date=day(offset), night_pain=4, morning_pain_minutes=10, pain_areas=["leg"])
    alice.nights.filter(date=day(0)).update(temperature_c=Decimal("38.4"), notes="Спал у сестры, болело сильнее")
    return alice


def speaks(client, user, language: str) -> None:
    """The person chose `language` (saved on the profile, and in this session's copy of it)."""
    save_language(user=user, language=language)
    session = client.session
    session["language"] = language
    session.save()


def flat(html: str) -> str:
    return " ".join(html.split())


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def link_in(user, language: str) -> str:
    _link, token = ShareLink.create_for(
        user, start=day(-13), end=END, expiry_days=7, label="Д-р Иванова", language=language
    )
    return token


@pytest.mark.django_db
def test_the_report_page_follows_the_persons_language(alice_client, diary):
    speaks(alice_client, diary, "ru")
    html = flat(alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode())
    assert "Что показывает ваш дневник" in html
    assert "Боль в ноге в большинство ночей" in html  # LEG_PAIN_PERSISTS, the person's title
    assert "14 ночей" in html
    assert "What your diary shows" not in html


@pytest.mark.django_db
def test_a_russian_report_links_to_the_russian_articles(alice_client, diary):
    speaks(alice_client, diary, "ru")
    html = alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode()
    assert 'href="/ru/articles/herniated-disc/"' in html
    speaks(alice_client, diary, "en-gb")
    html = alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode()
    assert 'href="/articles/herniated-disc/"' in html and "/ru/articles/" not in html


@pytest.mark.django_db
def test_a_link_created_in_english_opens_in_english_for_a_russian_speaking_person(client, diary):
    save_language(user=diary, language="ru")
    token = link_in(diary, "en-gb")
    response = client.get(reverse("diary:shared-report", args=[token]), HTTP_ACCEPT_LANGUAGE="ru")
    html = flat(response.content.decode())
    assert response["Content-Language"] == "en-gb" and '<html lang="en-gb">' in html
    assert "Persistent leg pain (possible sciatica)" in html
    assert "The patient logged pain radiating down a leg on 14 nights" in html
    assert "ночей" not in html.replace("Старый матрас", "")


@pytest.mark.django_db
def test_a_link_created_in_russian_opens_in_russian_whatever_the_clinicians_browser(client, diary):
    token = link_in(diary, "ru")
    response = client.get(reverse("diary:shared-report", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    html = flat(response.content.decode())
    assert response["Content-Language"] == "ru" and '<html lang="ru">' in html
    assert "Стойкая боль в ноге (возможен ишиас)" in html
    assert "Пациент отметил боль с иррадиацией в ногу: 14 ночей" in html
    pdf = client.get(reverse("diary:shared-report-pdf", args=[token]))
    assert pdf["Content-Language"] == "ru"
    assert "Стойкая боль в ноге (возможен ишиас)" in pdf_text(pdf.content)


@pytest.mark.django_db
def test_a_new_link_defaults_to_the_persons_language_and_the_list_says_which(alice_client, diary):
    speaks(alice_client, diary, "ru")
    form = {"label": "Д-р Иванова", "start": day(-13).isoformat(), "end": END.isoformat(), "expiry_days": "7"}
    html = flat(alice_client.post(reverse("diary:share-list"), form).content.decode())
    assert ShareLink.objects.get().language == "ru"
    assert 'Язык для врача: <span lang="ru">Русский</span>' in html
    alice_client.post(reverse("diary:share-list"), form | {"language": "en-gb"})
    assert sorted(ShareLink.objects.values_list("language", flat=True)) == ["en-gb", "ru"]
    html = flat(alice_client.get(reverse("diary:share-list")).content.decode())
    assert '<span lang="en-gb">English</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words", "not_words"),
    [("ru", "Стойкая боль в ноге", "Persistent leg pain"), ("en-gb", "Persistent leg pain", "Стойкая боль в ноге")],
)
def test_the_pdf_is_in_the_language_chosen_for_it_not_the_pages(alice_client, diary, language, words, not_words):
    speaks(alice_client, diary, "ru" if language == "en-gb" else "en-gb")
    response = alice_client.get(reverse("diary:report-pdf"), {"period": "all", "language": language})
    assert response["Content-Language"] == language
    text = pdf_text(response.content)
    assert words in text and not_words not in text


@pytest.mark.django_db
def test_the_report_page_offers_the_pdf_in_each_language(alice_client, diary):
    speaks(alice_client, diary, "ru")
    html = flat(alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode())
    assert '<select id="pdf-language" name="language" class="form-select">' in html
    assert '<option value="ru" lang="ru" selected>Русский</option>' in html
    assert '<option value="en-gb" lang="en-gb">English</option>' in html


@pytest.mark.django_db
def test_diary_report_command_writes_the_findings_in_the_language_asked(diary):
    out = StringIO()
    call_command("diary_report", "alice@example.com", "--format", "json", "--language", "ru", stdout=out)
    findings = {f["code"]: f for f in json.loads(out.getvalue())["findings"]}
    assert findings["LEG_PAIN_PERSISTS"]["title"] == "Боль в ноге в большинство ночей"
    assert findings["LEG_PAIN_PERSISTS"]["code"] == "LEG_PAIN_PERSISTS"
    out = StringIO()
    call_command("diary_report", "alice@example.com", "--format", "text", stdout=out)
    assert "Leg pain on most nights" in out.getvalue()


@pytest.mark.django_db
def test_the_russian_pdf_has_cyrillic_text_in_an_embedded_cyrillic_font(alice_client, diary):
    response = alice_client.get(reverse("diary:report-pdf"), {"period": "all", "language": "ru"})
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    for words in ("Стойкая боль в ноге", "Пациент отметил", "Старый матрас", "Спал у сестры, болело сильнее"):
        assert words in text
    assert "\ufffd" not in text and "□" not in text  # no replacement characters or tofu boxes
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVu" in font or "Liberation" in font for font in fonts), fonts


# --- Free text: shown as written, marked as the person's own words --------------------------------


@pytest.mark.django_db
def test_bed_names_on_the_report_page_are_marked_as_the_persons_own_words(alice_client, diary):
    speaks(alice_client, diary, "en-gb")
    html = alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode()
    assert (
        '<span class="own-words" lang="ru" title="your words">“Старый матрас”'
        '<span class="visually-hidden"> (your words)</span></span>'
    ) in html


@pytest.mark.django_db
def test_a_russian_share_page_quotes_the_patients_words_for_the_clinician(client, diary):
    html = client.get(reverse("diary:shared-report", args=[link_in(diary, "ru")])).content.decode()
    assert (
        '<span class="own-words" lang="ru" title="со слов пациента">«Старый матрас»'
        '<span class="visually-hidden"> (со слов пациента)</span></span>'
    ) in html
    assert "со слов пациента, как он записан" in html  # the page says what the quotes mean


@pytest.mark.django_db
def test_the_pdf_prints_notes_and_bed_names_as_written_and_says_they_are_the_patients_words(alice_client, diary):
    text = pdf_text(alice_client.get(reverse("diary:report-pdf"), {"period": "all", "language": "ru"}).content)
    assert "Со слов пациента: «Спал у сестры, болело сильнее»" in text
    assert "приведены со слов пациента" in text
    english = pdf_text(alice_client.get(reverse("diary:report-pdf"), {"period": "all", "language": "en-gb"}).content)
    assert "Note: Спал у сестры, болело сильнее" in english  # never translated
    assert "in the patient’s own words, as written" in english


@pytest.mark.django_db
def test_the_share_list_marks_a_links_label_as_the_persons_words(alice_client, diary):
    link_in(diary, "en-gb")
    html = alice_client.get(reverse("diary:share-list")).content.decode()
    assert '<span class="own-words" lang="ru" title="your words">“Д-р Иванова”' in html


def test_free_text_is_marked_with_the_script_it_is_written_in():
    from diary.templatetags.own_words import written_language

    assert [written_language(text) for text in ("Старый матрас", "Old mattress", "123", "IKEA матрас")] == [
        "ru",
        "en",
        "",
        "ru",
    ]
