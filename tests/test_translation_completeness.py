"""Is everything a person reads translated? Four checks, each catching what the others cannot:

1. the catalogue: the project's own makemessages command, run on a copy of the project, leaves no
   Russian entry empty or fuzzy, and msgfmt --check accepts the result (placeholders, plurals);
2. the templates: no text outside {% translate %} / {% blocktranslate %}, read from the template
   source, so pages no test renders are covered too;
3. the Python messages: flash messages, validation errors, form labels and help texts, and the
   labels of choices are gettext calls, never plain strings or f-strings;
4. the pages: every page a person or a clinician meets (walked from the URL configuration, as
   tests/test_isolation.py does), rendered in Russian for a person with a full diary, shows no
   English word except a small explicit list of names and units.
"""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.russian_text import english_words, visible_text

ROOT = Path(settings.BASE_DIR)


# --- 1. The catalogue ---------------------------------------------------------------------------


def makemessages_arguments() -> list[str]:
    """The arguments of the one agreed makemessages command, read from the Makefile's `translations`."""
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "manage.py makemessages" in line)
    return line.split("manage.py", 1)[1].split()


SKIPPED_IN_COPY = {".git", ".venv", "node_modules", "artifacts", "staticfiles", "tests", "benchmarks", "loadtest"}


@pytest.fixture(scope="module")
def regenerated_catalogue(tmp_path_factory) -> Path:
    """locale/ru/LC_MESSAGES/django.po as `make translations` would leave it, made in a copy of
    the project (the repository is untouched)."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda folder, names: [
            n for n in names if n in SKIPPED_IN_COPY or n.endswith((".mo", ".sqlite3", ".pyc"))
        ],
        symlinks=True,
    )
    env = {**os.environ, "DEBUG": "true"}
    subprocess.run(  # noqa: S603  # our own manage.py, arguments from our own Makefile
        [sys.executable, "manage.py", *makemessages_arguments()],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def gettext_tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout  # noqa: S603


def entries(po_text: str) -> list[str]:
    """The msgids of a .po text, without the header."""
    return [block for block in po_text.split("\n\n") if re.search(r'^msgid "(?!"\n)|^msgid ""\n"', block, re.M)]


def test_makemessages_leaves_no_russian_entry_empty_or_fuzzy(regenerated_catalogue):
    untranslated = gettext_tool("msgattrib", "--untranslated", "--no-obsolete", str(regenerated_catalogue))
    fuzzy = gettext_tool("msgattrib", "--only-fuzzy", "--no-obsolete", str(regenerated_catalogue))

    problems = [f"UNTRANSLATED\n{entry}" for entry in entries(untranslated)]
    problems += [f"FUZZY\n{entry}" for entry in entries(fuzzy)]
    assert not problems, (
        f"{len(problems)} entries of the Russian catalogue need a translation (run `make translations`, "
        "then fill in msgstr):\n\n" + "\n\n".join(problems)
    )


def test_the_regenerated_catalogue_compiles_with_every_placeholder_and_plural_right(regenerated_catalogue, tmp_path):
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(regenerated_catalogue)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- 2. The templates -----------------------------------------------------------------------------

TEMPLATE_ROOTS = [ROOT / "templates", *(ROOT / app / "templates" for app in ("accounts", "articles", "diary"))]
# Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt|aria-description)="([^"]*)"')
PLACEHOLDER = "\ue000"  # stands for a {{ variable }} or {% tag %}: not text of the template
SKIPPED_BLOCKS = {
    "comment": "endcomment",
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "verbatim": "endverbatim",
}


def template_text(source: str) -> str:
    """The text a template writes itself (not translated, not a variable), with HTML markup removed
    but the readable attributes kept."""
    parts, skipping = [], []  # skipping: the open blocks whose text is not the template's own
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            # Not text: comments, translated blocks, and blocks that fill a class attribute.
            if bits[0] in SKIPPED_BLOCKS or (bits[0] == "block" and bits[1].endswith("_class")):
                skipping.append(bits[0])
            elif skipping and SKIPPED_BLOCKS.get(skipping[-1], "endblock") == bits[0]:
                skipping.pop()
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not skipping:
            parts.append(token.contents)
        elif token.token_type != TokenType.TEXT:
            parts.append(PLACEHOLDER)
    html = "".join(parts)
    html = re.sub(r"<(script|style|code|pre|kbd|samp)\b.*?</\1>|<!--.*?-->", " ", html, flags=re.S | re.I)
    attributes = READ_ATTRIBUTES.findall(" ".join(re.findall(r"<[^>]*>", html)))
    text = re.sub(r"<[^>]*>", " ", html)
    text = re.sub(r"&[#\w]+;", " ", text)
    return " ".join([text, *attributes])


def html_templates() -> list[Path]:
    return sorted(path for root in TEMPLATE_ROOTS if root.is_dir() for path in root.rglob("*.html"))


def test_the_template_reader_sees_only_unmarked_text():
    source = """{% load i18n %}<h1 class="h2 mb-3" aria-label="{% translate 'Menu' %}">{% translate "Diary" %}</h1>
    {% blocktranslate %}Saved {{ n }} nights{% endblocktranslate %}{% comment %}Why this is so{% endcomment %}
    <script>const x = "not text";</script><a href="{% url 'home' %}" title="Go home">Back</a> {{ night.notes }}"""

    assert english_words(template_text(source)) == ["Back Go home"]  # the text, then the attributes


def test_every_template_text_is_marked_for_translation():
    found = {}
    for path in html_templates():
        words = english_words(template_text(path.read_text(encoding="utf-8")))
        if words:
            found[str(path.relative_to(ROOT))] = words
    assert not found, "Text not marked for translation ({% translate %} / {% blocktranslate %}):\n" + "\n".join(
        f"  {path}: {words}" for path, words in found.items()
    )


# --- 3. The Python messages ----------------------------------------------------------------------

PYTHON_ROOTS = ["accounts", "articles", "backpain_site", "diary"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error"}
FIELD_TEXT_KEYWORDS = {"label", "help_text", "empty_label", "verbose_name"}


def is_plain_text(node: ast.AST) -> bool:
    """A str literal with words in it, an f-string, or text built from one ("..." % x, "...".format(), "a" + b)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):  # words of its own, not only {placeholders} (a medicine's name)
        return any(is_plain_text(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return is_plain_text(node.left) or is_plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return is_plain_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return is_plain_text(node.body) or is_plain_text(node.orelse)
    return False


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def unmarked_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every user-facing text in `tree` that is not a gettext call."""
    found = []

    def check(node: ast.AST | None, what: str) -> None:
        if node is not None and is_plain_text(node):
            found.append((node.lineno, f"{what}: {ast.unparse(node)[:80]}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = called_name(node)
            func = node.func
            if name in MESSAGE_FUNCTIONS and isinstance(func, ast.Attribute) and ast.unparse(func.value) == "messages":
                check(node.args[1] if len(node.args) > 1 else None, f"messages.{name}")
            elif name == "ValidationError":
                check(node.args[0] if node.args else None, name)
            elif name == "add_error":
                check(node.args[1] if len(node.args) > 1 else None, name)
            elif name.endswith("Field"):
                for keyword in node.keywords:
                    if keyword.arg in FIELD_TEXT_KEYWORDS:
                        check(keyword.value, f"{name}({keyword.arg}=)")
                    elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                        for value in keyword.value.values:
                            check(value, f"{name}(error_messages=)")
            elif name in GETTEXT_NAMES:
                for argument in node.args:
                    if isinstance(argument, ast.JoinedStr | ast.BinOp):
                        found.append((node.lineno, f"{name}() of a built string: {ast.unparse(argument)[:80]}"))
        elif isinstance(node, ast.ClassDef):
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            for statement in node.body:
                # Meta.labels / Meta.help_texts of a ModelForm
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Dict):
                    targets = {ast.unparse(target) for target in statement.targets}
                    if targets & {"labels", "help_texts"} and node.name == "Meta":
                        for value in statement.value.values:
                            check(value, f"Meta.{' '.join(targets)}")
                # MEMBER = "value", "Label" of a TextChoices / IntegerChoices
                if (
                    bases & {"TextChoices", "IntegerChoices", "Choices"}
                    and isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Tuple)
                    and len(statement.value.elts) > 1
                ):
                    check(statement.value.elts[-1], f"{node.name} choice label")
    return found


def python_files() -> list[Path]:
    files = []
    for root in PYTHON_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            # Migrations freeze labels as they were; management commands talk to the operator.
            if not parts & {"migrations", "management"}:
                files.append(path)
    return files


def test_the_python_reader_finds_plain_messages_but_not_gettext_ones():
    source = """
messages.success(request, "Saved.")
messages.success(request, gettext("Saved."))
raise forms.ValidationError(f"Enter a year before {year}.")
raise forms.ValidationError(_("Enter a year before %(year)s.") % {"year": year})
self.add_error("date", "Too late.")
name = forms.CharField(label="Name", help_text=_("Your name."))
class Kind(models.TextChoices):
    BED = "bed", "Bed"
    SOFA = "sofa", _("Sofa")
ok = gettext(f"Hello {name}")
"""
    lines = [line for line, _what in unmarked_texts(ast.parse(source))]

    assert sorted(lines) == [2, 4, 6, 7, 9, 11]


def test_every_python_message_is_marked_for_translation():
    found = []
    for path in python_files():
        for line, what in unmarked_texts(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"  {path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "User-facing text that is not a gettext call:\n" + "\n".join(found)


# --- 4. The pages, in Russian ----------------------------------------------------------------------


def test_the_page_reader_finds_english_a_person_would_see_and_only_that():
    html = """<html><head><title>Diary · Дневник</title><script>const x = "Hello there";</script></head>
    <body><p>Ночь <b>Save it</b>, 400 мг</p><input type="submit" value="Send"><a title="Go home" href="/">Домой</a>
    <select name="time_zone"><option>America/Argentina/Rio_Gallegos</option></select><code>night_pain</code>
    <p>PDF, CSV · olga@example.com · https://example.org/ru/ · English</p></body></html>"""

    assert english_words(visible_text(html)) == ["Diary", "Save it", "Send Go home"]


@pytest.fixture
def russian_diary(alice):
    """Three weeks of a Russian person's diary with everything filled in: beds, nights with every
    answer, medicines, a weekly check-in, a bed trial and share links. Her own words are Russian."""
    from diary.models import Medicine, MedicineDose, PegCheckIn, Profile, ShareLink
    from diary.trials.schedule import Design
    from diary.trials.services import start_trial
    from tests.factories import make_bed, make_night

    Profile.objects.filter(user=alice).update(
        language="ru", display_name="Алиса", birth_year=1970, time_zone="Europe/Moscow", reminder_enabled=False
    )
    today = timezone.localdate()
    old, new = make_bed(alice, "Старый матрас"), make_bed(alice, "Диван-кровать")
    medicine = Medicine.objects.create(user=alice, name="Ибупрофен", medicine_class="nsaid", dose=400)
    nights = []
    for offset in range(21):
        recent = offset < 3
        night = make_night(
            alice,
            bed=new if offset < 10 else old,
            date=today - timedelta(days=offset),
            night_pain=(offset * 3) % 11,
            woke_by_pain="late" if offset % 3 else "no",
            morning_pain_minutes=(offset % 5) * 15,
            pain_areas=["flank_left", "lower_back"] if recent else ["lower_back"],
            eased_by=["movement"],
            symptoms=["chills"] if recent else [],
            temperature_c=Decimal("38.6") if recent else None,
            night_urinations=offset % 4,
            stress=offset % 7,
            notes="Долго ехала в машине." if offset % 4 == 0 else "",
        )
        nights.append(night)
        if offset % 2:
            MedicineDose.objects.create(night=night, medicine=medicine, doses=2)
    PegCheckIn.objects.create(user=alice, date=today - timedelta(days=7), pain=7, enjoyment=6, activity=5)
    PegCheckIn.objects.create(user=alice, date=today, pain=4, enjoyment=3, activity=3)
    link, token = ShareLink.create_for(
        alice, start=today - timedelta(days=20), end=today, expiry_days=7, label="Для терапевта", language="ru"
    )
    trial = start_trial(user=alice, bed_a=old, bed_b=new, start=today - timedelta(days=14), design=Design(), seed=1)
    return {
        "night": nights[0],
        "bed": old,
        "medicine": medicine,
        "share_link": link,
        "token": token,
        "bed_trial": trial,
    }


def russian_pages(objects) -> list[tuple[str, str]]:
    """(who, path) of every page to read: the URL configuration's pages with their objects filled in."""
    from tests.test_isolation import (
        OWNED_OBJECT_ROUTES,
        PUBLIC_PAGES,
        SHARE_TOKEN_ROUTES,
        all_routes,
        is_skipped,
    )

    pages = [("visitor", "/no-such-page/"), ("visitor", "/ru/articles/"), ("visitor", "/ru/articles/?q=матрас")]
    pages += [("visitor", "/ru/articles/is-it-your-bed/"), ("person", "/ru/articles/when-to-see-a-doctor/")]
    for route in all_routes():
        # The English article addresses are English whoever reads them; the Russian ones are above.
        if is_skipped(route) or not route.name or route.namespace == "articles":
            continue
        if not route.params:
            who = "visitor" if route.name in PUBLIC_PAGES else "person"
            pages.append((who, reverse(route.name)))
        elif route.name in OWNED_OBJECT_ROUTES:
            obj = objects[OWNED_OBJECT_ROUTES[route.name]]
            pages.append(("person", reverse(route.name, kwargs={"pk": obj.pk})))
        elif route.name in SHARE_TOKEN_ROUTES:
            pages.append(("clinician", reverse(route.name, kwargs={"token": objects["token"]})))
    return pages


def test_every_page_a_person_or_clinician_meets_reads_in_russian(alice, russian_diary, monkeypatch):
    # The share page suggests a random passcode: one that is never a word.
    monkeypatch.setattr("diary.forms_share.suggest_passcode", lambda: "7km29xq4tz")
    person = Client(HTTP_ACCEPT_LANGUAGE="en")  # her profile says Russian: it wins over the browser
    person.force_login(alice)
    visitors = Client(HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    clients = {"person": person, "visitor": visitors, "clinician": visitors}

    found, read = {}, []
    for who, path in russian_pages(russian_diary):
        response = clients[who].get(path)
        if response["Content-Type"] == "application/pdf":  # the report's PDF, the clinician's copy above all
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
            read.append(path)
            if words := english_words(text, allowed={"alice@example.com", "MSK"}):  # MSK: her time zone
                found[f"{path} ({who}, PDF)"] = words
            continue
        if not response["Content-Type"].startswith("text/html") or response.status_code in {301, 302, 405}:
            continue
        html = response.content.decode()
        read.append(path)
        words = english_words(visible_text(html), allowed={"alice@example.com"})
        if '<html lang="ru"' not in html:
            words.insert(0, "(<html lang> is not ru)")
        if words:
            found[f"{path} ({who}, {response.status_code})"] = words
    # The walk reached the pages that matter (a broken walk must not pass by reading nothing).
    for path in ("/log/", "/diary/", "/report/", "/account/", "/accounts/login/", "/accounts/signup/"):
        assert path in read, path
    assert f"/s/{russian_diary['token']}/" in read and "/report/pdf/" in read
    assert not found, "English on Russian pages (mark it for translation, then translate it):\n" + "\n".join(
        f"  {page}: {words}" for page, words in found.items()
    )


@pytest.mark.parametrize(
    ("who", "path", "data"),
    [
        ("visitor", "/accounts/signup/", {"email": "x", "password1": "a", "password2": "b"}),
        ("visitor", "/accounts/login/", {"login": "alice@example.com", "password": "wrong password"}),
        ("person", "/log/", {"night_pain": "11"}),
        ("person", "/account/", {"time_zone": "Mars/Olympus", "birth_year": "1800"}),
        ("person", "/account/delete/", {"password": "wrong"}),
    ],
)
def test_error_messages_read_in_russian(alice, russian_diary, who, path, data):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    if who == "person":
        client.force_login(alice)

    response = client.post(path, data)

    assert response.status_code in {200, 400}, response.status_code
    html = response.content.decode()
    assert re.search(r'class="[^"]*(invalid-feedback|alert-danger|errorlist)', html), "no error shown"
    assert not english_words(visible_text(html), allowed={"alice@example.com"}), english_words(visible_text(html))
