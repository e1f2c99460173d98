"""Choice labels looked up, not rebuilt: the mixin every model with choices takes first.

Django's get_FOO_display() rebuilds a dict of all the field's choices on every call, hashing each label
on the way, and hashing a lazy label translates it: a status column of 50 rows translated every status
label 50 times, a tenth of the worklist's CPU. Here the field's {value: label} is built once (the labels
stay lazy, so each is still translated into the language of the request), and a call is one lookup."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field._choice_labels = {
                make_hashable(value): label for value, label in field.flatchoices
            }
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
