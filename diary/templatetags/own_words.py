"""{% own_words text %}: free text the person wrote (a note, a bed or medicine name, a link's
label), shown exactly as written, never translated, and marked as their own words (issue 19).

On a page the mark is visible (italics and the quotes of the reader's language) and spoken: a
hover title and a visually hidden phrase say "your words" to the person and "in the patient's own
words" to a clinician (a share page: `shared` in the context). In the PDF (`pdf`) it is italics,
which the PDF's legend explains.
The text's own language is unknown, so the page's language is not claimed for it: `lang` is set
to the script it is written in when that is clear (Cyrillic: ru, Latin: en), else "" (unknown).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

register = template.Library()


def written_language(text: str) -> str:
    """'ru' for text mostly in Cyrillic letters, 'en' for Latin ones, '' when it has no letters."""
    cyrillic = sum(1 for char in text if "\u0400" <= char <= "\u04ff")
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    if not cyrillic and not latin:
        return ""
    return "ru" if cyrillic >= latin else "en"


def own_words_html(text: str, *, clinician: bool, printed: bool = False) -> str:
    """`text` in quotes, marked as the person's own words for its reader (HTML, escaped).

    `printed` (the PDF): italics only, the text exactly as written; the PDF's legend says once
    what italics mean, since paper has no hover title and hidden text would still be extracted.
    """
    if printed:
        return format_html('<span class="own-words" lang="{}">{}</span>', written_language(text), text)
    quoted = pgettext("quotes around the person's own words", "“%(text)s”")
    opening, _sep, closing = quoted.partition("%(text)s")
    whose = gettext("in the patient’s own words") if clinician else gettext("your words")
    return format_html(
        '<span class="own-words" lang="{}" title="{}">{}{}{}<span class="visually-hidden"> ({})</span></span>',
        written_language(text),
        whose,
        opening,
        text,
        closing,
        whose,
    )


@register.simple_tag(takes_context=True)
def own_words(context, *parts) -> str:
    """The free text (its `parts` joined by spaces, e.g. a medicine's name and usual dose, as the
    person entered them) marked as the person's own words; nothing for an empty text."""
    text = " ".join(str(part).strip() for part in parts if part is not None and str(part).strip())
    if not text:
        return ""
    printed = bool(context.get("pdf"))
    return own_words_html(text, clinician=printed or bool(context.get("shared")), printed=printed)
