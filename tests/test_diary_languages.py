"""The diary side in Russian: every diary page under a Russian profile, validation next to its
field, plural forms, dates in the genitive with lower-case weekdays, localised numbers, the
saved-night message, and English unchanged for everybody else."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from diary import services
from diary.dates import date_ranges, long_date
from diary.models import BedTrial, Medicine, MedicineDose, Night, PegCheckIn
from diary.templatetags.diary_tags import minutes
from diary.units import format_temperature
from tests.factories import make_bed, make_night
from tests.russian_text import english_words, visible_text

TODAY = date(2026, 12, 3)  # a Thursday
# The person's own words stay as written: bed, medicine and note texts.
OWN_WORDS = {"Old", "mattress", "Guest", "room", "futon", "Ibuprofen", "Stiff", "after", "breakfast"}


@pytest.fixture
def russian(alice_client, alice):
    services.save_language(user=alice, language="ru")
    return alice_client


@pytest.fixture
def diary(alice):
    """Two beds, a bed change, a night with warning signs, a medicine taken and a PEG check-in."""
    old = make_bed(alice, "Old mattress")
    futon = make_bed(alice, "Guest room futon")
    fever = make_night(
        alice,
        old,
        date=date(2026, 12, 1),
        night_pain=7,
        woke_by_pain="early",
        pain_areas=["lower_back", "flank_left"],
        eased_by=["movement"],
        symptoms=["chills"],
        temperature_c=Decimal("38.2"),
        morning_pain_minutes=90,
        notes="Stiff after breakfast",
    )
    make_night(alice, futon, date=date(2026, 12, 2), night_pain=3)
    ibuprofen = Medicine.objects.create(user=alice, name="Ibuprofen", dose=400, unit="mg", medicine_class="nsaid")
    MedicineDose.objects.create(night=fever, medicine=ibuprofen, doses=2)
    PegCheckIn.objects.create(user=alice, date=date(2026, 11, 26), pain=6, enjoyment=5, activity=4)
    return {"night": fever, "old": old, "futon": futon, "ibuprofen": ibuprofen}


def russian_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="ru"' in html
    return html


def english_left(html: str, also: frozenset[str] = frozenset()) -> list[str]:
    # The CSV format's column names, codes and example rows are a file format, the same in every
    # language (the import page says so); they are always inside <code> or <pre>.
    html = re.sub(r"<code>.*?</code>|<pre.*?</pre>", " ", html, flags=re.S)
    return english_words(visible_text(html), OWN_WORDS | {"UTF"} | also)


# --- Every diary page in Russian --------------------------------------------------------------


DIARY_PAGES = [
    ("diary:night-create", None),
    ("diary:night-edit", "night"),
    ("diary:night-delete", "night"),
    ("diary:night-list", None),
    ("diary:calendar", None),
    ("diary:charts", None),
    ("diary:bed-list", None),
    ("diary:bed-create", None),
    ("diary:bed-edit", "old"),
    ("diary:bed-delete", "old"),
    ("diary:medicine-list", None),
    ("diary:medicine-create", None),
    ("diary:medicine-edit", "ibuprofen"),
    ("diary:medicine-delete", "ibuprofen"),
    ("diary:peg-check-in", None),
    ("diary:import-csv", None),
    ("diary:trial-create", None),
]


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
@pytest.mark.parametrize(("name", "obj"), DIARY_PAGES, ids=[name for name, _obj in DIARY_PAGES])
def test_each_diary_page_is_russian_with_no_english_left(russian, diary, name, obj):
    url = reverse(name, args=[diary[obj].pk]) if obj else reverse(name)
    html = russian_page(russian, url)

    assert english_left(html) == [], url


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_a_bed_trials_page_is_russian(russian, alice, diary):
    trial = services_start_trial(alice, diary)
    html = russian_page(russian, reverse("diary:trial-detail", args=[trial.pk]))

    assert english_left(html) == []
    assert "Сравнение кроватей: Old mattress (A) и Guest room futon (B)" in html
    assert "по 4 ночи подряд на одной кровати" in html


def services_start_trial(user, diary) -> BedTrial:
    from diary.trials import services as trials
    from diary.trials.schedule import Design

    return trials.start_trial(user=user, bed_a=diary["old"], bed_b=diary["futon"], start=TODAY, design=Design(4, 6))


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_the_diary_list_reads_naturally_in_russian(russian, diary):
    html = russian_page(russian, reverse("diary:night-list"))

    assert "<title>Дневник" in html
    assert "2 ночи, сначала новые." in html
    assert "вт, 1 декабря 2026" in html  # weekday in lower case, month in the genitive
    assert "🌡 </span>38,2 °C" in html  # a Russian decimal comma where it is read
    assert "Утром: 1 ч 30 мин" in html
    assert "Просыпались в начале ночи" in html
    assert "Поясница, Слева под рёбрами (область почки)" in html
    assert "Смена кровати: Old mattress → Guest room futon" in html
    assert "Тревожный признак" in html


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_the_calendar_names_months_and_weekdays_in_russian_from_monday(russian, diary):
    html = russian_page(russian, reverse("diary:calendar"))

    assert "Декабрь 2026: записаны 2 ночи." in html  # a month alone: nominative
    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'abbr="([^"]+)">([^<]+)<', header)[:2] == [("Понедельник", "Пн"), ("Вторник", "Вт")]
    assert re.findall(r">(\w\w)</th>", header)[-1] == "Вс"
    assert "вторник, 1 декабря: ночная боль 7 из 10" in html
    assert "четверг, 3 декабря: не записано. Записать эту ночь." in html


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_the_charts_page_writes_dates_and_numbers_the_russian_way(russian, diary):
    html = russian_page(russian, reverse("diary:charts") + "?period=14")

    assert "С 19 ноября 2026 по 2 декабря 2026." in html  # 14 days up to the latest night
    assert "Записаны 2 ночи из 14 дней." in html
    assert "Ночная боль: в среднем 5 из 10, в худшую ночь 7." in html
    assert "Боль будила вас 1 ночь." in html
    assert "записано ночей — 2 из 14" in html  # the charts' own text alternative
    assert ">19.11</text>" in html  # axis ticks numbered, as Russian writes short dates


# --- Validation errors in Russian, next to their field -----------------------------------------


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_a_refused_night_says_why_in_russian_next_to_each_field(russian, diary):
    response = russian.post(
        reverse("diary:night-create"),
        {"date": "2026-12-10", "night_pain": "", "woke_by_pain": "no", "morning_quick": "0", "temperature_c": "99"},
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Пока ничего не сохранено." in html and "Проверьте отмеченные ниже ответы." in html
    date_field = html.split('id="div_id_date"', 1)[1].split('id="div_id_night_pain"', 1)[0]
    assert "Эта дата ещё не наступила (сегодня 3 декабря 2026)." in date_field
    pain_field = html.split('id="div_id_night_pain"', 1)[1].split("</fieldset>", 1)[0]
    assert "Выберите, насколько сильной была боль: от 0 (нет) до 10." in pain_field
    assert "Введите температуру от 34,0 до 43,0 °C или оставьте поле пустым." in html
    assert english_left(html) == []


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_a_comma_temperature_is_read_and_shown_back_with_a_comma(russian, alice, diary):
    response = russian.post(
        reverse("diary:night-create"),
        {
            "date": "2026-12-03",
            "night_pain": "2",
            "woke_by_pain": "no",
            "morning_quick": "0",
            "bed": diary["old"].pk,
            "temperature_c": "38,4",
        },
    )

    assert response.status_code == 302
    night = Night.objects.for_user(alice).get(date=TODAY)
    assert night.temperature_c == Decimal("38.4")
    assert "38,4 °C" in russian_page(russian, reverse("diary:night-list"))
    # The input keeps the format the browser and the server read, a dot (the field takes both).
    assert 'name="temperature_c" value="38.4"' in russian_page(russian, reverse("diary:night-edit", args=[night.pk]))


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_bed_and_medicine_forms_refuse_in_russian(russian, diary):
    bed = russian.post(reverse("diary:bed-create"), {"name": "old MATTRESS", "kind": "mattress", "firmness": "firm"})
    medicine = russian.post(
        reverse("diary:medicine-create"),
        {"name": "Ibuprofen", "medicine_class": "nsaid", "dose": "0", "unit": "mg", "current": "on"},
    )

    assert "У вас уже есть кровать «old MATTRESS». Выберите другое название." in bed.content.decode()
    page = medicine.content.decode()
    assert "У вас уже есть лекарство «Ibuprofen»." in page
    assert "Введите дозу больше 0, например 400." in page


# --- Messages ------------------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_the_saved_night_message_is_russian(russian, diary):
    response = russian.post(
        reverse("diary:night-create"),
        {"date": "2026-12-03", "night_pain": "2", "woke_by_pain": "no", "morning_quick": "15", "bed": diary["old"].pk},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == ["Ночь на чт, 3 декабря 2026 сохранена."]


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_a_night_with_warning_signs_tells_to_seek_care_in_russian(russian, diary):
    response = russian.post(
        reverse("diary:night-create"),
        {
            "date": "2026-12-03",
            "night_pain": "8",
            "woke_by_pain": "late",
            "morning_quick": "30",
            "bed": diary["old"].pk,
            "symptoms": ["saddle_numbness"],
        },
        follow=True,
    )
    html = response.content.decode()

    message = [str(message) for message in response.context["messages"]][0]
    assert message.startswith("Обратитесь за медицинской помощью сейчас. В ночь на чт, 3 декабря 2026:")
    assert "Обратитесь за медицинской помощью сейчас: что делать" in html


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_deleting_things_is_confirmed_in_russian(russian, diary):
    night = russian.post(reverse("diary:night-delete", args=[diary["night"].pk]), follow=True)
    medicine = russian.post(reverse("diary:medicine-delete", args=[diary["ibuprofen"].pk]), follow=True)

    assert [str(m) for m in night.context["messages"]] == ["Ночь на вт, 1 декабря 2026 удалена."]
    assert [str(m) for m in medicine.context["messages"]] == ["Лекарство «Ibuprofen» удалено. Сами ночи сохранены."]


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_a_csv_import_reports_its_problems_in_russian_with_the_columns_named_as_in_the_file(russian, diary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from diary.transfer.csv_export import HEADER

    rows = [",".join(HEADER), "2026-12-02,11,sometimes,,,,Old mattress,,,,,,"]
    upload = SimpleUploadedFile("diary.csv", "\n".join(rows).encode(), content_type="text/csv")
    html = russian.post(reverse("diary:import-csv"), {"file": upload}).content.decode()

    assert "Ничего не импортировано: 2 ошибки" in html
    assert "Неизвестный ответ «sometimes»; используйте один из: no, early, late" in html
    assert "<code>woke_by_pain</code>" in html  # the column keeps its file name
    # The problem quotes the file's own cell and the codes the file format takes.
    assert english_left(html, also=frozenset({"sometimes", "no", "early", "late"})) == []


# --- Plurals ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "words"), [(1, "1 ночь"), (2, "2 ночи"), (5, "5 ночей"), (21, "21 ночь")])
def test_a_beds_nights_follow_russian_plural_forms(russian, alice, count, words):
    bed = make_bed(alice, "Old mattress")
    for day in range(1, count + 1):
        make_night(alice, bed, date=date(2026, 10, day))

    html = russian_page(russian, reverse("diary:bed-list"))

    assert f"{words}, последняя — {count} октября 2026" in html


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "Импортирована 1 ночь (заменено: 0)."),
        (2, "Импортировано 2 ночи (заменено: 0)."),
        (5, "Импортировано 5 ночей (заменено: 0)."),
        (21, "Импортирована 21 ночь (заменено: 0)."),
    ],
)
def test_import_counts_follow_russian_plural_forms(count, text):
    with translation.override("ru"):
        found = translation.ngettext(
            "Imported %(count)s night (%(replaced)s replaced).",
            "Imported %(count)s nights (%(replaced)s replaced).",
            count,
        ) % {"count": count, "replaced": 0}

    assert found == text


@pytest.mark.parametrize(("count", "english"), [(1, "1 night"), (2, "2 nights"), (5, "5 nights"), (21, "21 nights")])
def test_english_plurals_are_unchanged(count, english):
    with translation.override("en-gb"):
        assert translation.ngettext("%(counter)s night", "%(counter)s nights", count) % {"counter": count} == english


# --- Dates and numbers: one home, in the reader's language -----------------------------------


@pytest.mark.parametrize(
    ("kwargs", "english", "russian"),
    [
        ({}, "1 December 2026", "1 декабря 2026"),
        ({"abbreviated": True}, "1 Dec 2026", "1 декабря 2026"),
        ({"weekday": True}, "Tuesday 1 December 2026", "вторник, 1 декабря 2026"),
        ({"weekday": True, "abbreviated": True}, "Tue 1 Dec 2026", "вт, 1 декабря 2026"),
        ({"year": False}, "1 December", "1 декабря"),
    ],
)
def test_long_date_writes_the_readers_language(kwargs, english, russian):
    day = date(2026, 12, 1)
    with translation.override("en-gb"):
        assert long_date(day, **kwargs) == english
    with translation.override("ru"):
        assert long_date(day, **kwargs) == russian


def test_every_month_takes_the_genitive_in_russian():
    with translation.override("ru"):
        months = [long_date(date(2026, month, 1)).split()[1] for month in range(1, 13)]

    assert months == [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]  # fmt: skip


def test_date_ranges_minutes_and_temperatures_in_russian():
    with translation.override("ru"):
        assert (
            date_ranges([date(2026, 10, 28), date(2026, 10, 29), date(2026, 11, 5)]) == "28–29 октября, 5 ноября 2026"
        )
        assert minutes(95) == "1 ч 35 мин"
        assert format_temperature(Decimal("37.8"), "C") == "37,8 °C"
    with translation.override("en-gb"):
        assert date_ranges([date(2026, 10, 28), date(2026, 10, 29), date(2026, 11, 5)]) == "28–29 Oct, 5 Nov 2026"
        assert minutes(95) == "1 h 35 min"
        assert format_temperature(Decimal("37.8"), "C") == "37.8 °C"


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_date_inputs_keep_the_machine_format_in_russian(russian, diary):
    """A browser's date picker shows the date the reader's way; the value it sends stays
    YYYY-MM-DD, the only format the server parses (nothing reads a Russian-written date)."""
    html = russian_page(russian, reverse("diary:night-edit", args=[diary["night"].pk]))

    assert 'type="date" name="date" value="2026-12-01"' in html
    assert 'name="temperature_c" value="38.2"' in html
    listed = russian.get(reverse("diary:night-list"), {"start": "01.12.2026"})
    assert "Введите начальную дату в виде ГГГГ-ММ-ДД." in listed.content.decode()


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
def test_an_english_profile_still_gets_the_english_diary(alice_client, diary):
    html = alice_client.get(reverse("diary:night-list")).content.decode()

    assert '<html lang="en-gb"' in html
    assert "2 nights, newest first." in html and "Tue 1 Dec 2026" in html and "38.2 °C" in html


@pytest.mark.django_db
@time_machine.travel(f"{TODAY} 09:00 +0000", tick=False)
@pytest.mark.parametrize("language", ["ru", "en-gb"])
def test_a_date_typed_the_local_way_is_not_guessed_at(alice_client, alice, diary, language):
    """01.12.2026 or 01/12/2026 reach the server only when typed without a picker; no language's
    own way is read (each would read it differently), only the picker's YYYY-MM-DD."""
    services.save_language(user=alice, language=language)
    for typed in ("01.12.2026", "01/12/2026"):
        response = alice_client.post(
            reverse("diary:night-create"),
            {"date": typed, "night_pain": "2", "woke_by_pain": "no", "morning_quick": "0", "bed": diary["old"].pk},
        )
        assert response.status_code == 200  # refused, not saved on a guessed day
    assert Night.objects.for_user(alice).count() == 2
