"""{% own_words text %}: free text the person wrote (a note, a bed or medicine name, a link's
label), shown exactly as written, never translated, and marked as their own words (issue 19).

The mark is visible (quotes of the reader's language, a dotted underline from the stylesheets)
and spoken: a hover title and a visually hidden phrase say "your words" to the person and "in the
patient's own words" to a clinician (a share page or the PDF: `shared` or `pdf` in the context).
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


def own_words_html(text: str, *, clinician: bool) -> str:
    """`text` in quotes, marked as the person's own words for its reader (HTML, escaped)."""
    whose = gettext("in the patient’s own words") if clinician else gettext("your words")
    quoted = pgettext("quotes around the person's own words", "“%(text)s”")
    opening, _sep, closing = quoted.partition("%(text)s")
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
def own_words(context, text) -> str:
    """The free `text` marked as the person's own words; nothing for an empty text."""
    text = "" if text is None else str(text)
    if not text.strip():
        return ""
    return own_words_html(text, clinician=bool(context.get("shared") or context.get("pdf")))
