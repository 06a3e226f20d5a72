"""How the night form is drawn: crispy layout pieces (large choice buttons, <details> disclosures)."""

from __future__ import annotations

from crispy_forms.layout import Div, Field
from django.template.loader import render_to_string

CHOICE_BUTTONS = "diary/_night_choice_buttons.html"


class Details(Div):
    """A crispy layout <details> disclosure, open when any of `open_when` holds data or an error."""

    template = "diary/_night_details.html"

    def __init__(self, summary: str, *fields, open_when: tuple[str, ...] | None = None, force_open=False, **kwargs):
        super().__init__(*fields, **kwargs)
        self.summary = summary
        self.open_when = open_when
        self.force_open = force_open

    def render(self, form, context, template_pack=None, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        names = self.open_when or [pointer.name for pointer in self.get_field_names()]
        is_open = self.force_open or any(form[name].errors or _has_value(form[name]) for name in names)
        return render_to_string(self.template, {"div": self, "fields": fields, "is_open": is_open})


def _has_value(bound_field) -> bool:
    return bound_field.value() not in (None, "", [], ())


def choice_buttons(name: str, variant: str = "") -> Field:
    """A radio or checkbox group drawn as large buttons: real inputs in a fieldset with a legend."""
    return Field(name, template=CHOICE_BUTTONS, wrapper_class=variant)
