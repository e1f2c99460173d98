"""Form rendering helpers: errors and help tied to their fields, and an error summary linking to them."""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def described_by(bound_field):
    """The ids of the field's help text and error messages, for its `aria-describedby` (or a fieldset's)."""
    ids = [f"{bound_field.auto_id}_help"] if bound_field.help_text else []
    ids += [f"{bound_field.auto_id}_error{n}" for n in range(1, len(bound_field.errors) + 1)]
    return " ".join(ids)


@register.filter
def described(bound_field):
    """The widget with `aria-describedby` naming its help text and error messages."""
    ids = described_by(bound_field)
    attrs = {"aria-describedby": ids} if ids else {}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(bound_field):
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.simple_tag
def collect_errors(*forms_or_formsets):
    """[(anchor id or "", text)] for every error of the given forms and formsets, in page order."""
    errors = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            errors += [("", str(error)) for error in item.non_form_errors()]
            table = getattr(item, "summary_label", "")
            for number, form in enumerate(item.forms, start=1):
                row = (
                    _("%(table)s, row %(number)s") % {"table": table, "number": number}
                    if table
                    else _("Row %(number)s") % {"number": number}
                )
                if not form.is_bound:
                    continue
                errors += [("", f"{row}: {error}") for error in form.non_field_errors()]
                for field in form:
                    for error in field.errors:
                        label = str(field.label)
                        errors.append(
                            (
                                field.id_for_label or field.auto_id,
                                f"{row}, {label[:1].lower()}{label[1:]}: {error}",
                            )
                        )
            continue
        if not item.is_bound:
            continue
        errors += [("", str(error)) for error in item.non_field_errors()]
        for field in item:
            for error in field.errors:
                errors.append((field.id_for_label or field.auto_id, f"{field.label}: {error}"))
    return errors
