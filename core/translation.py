"""Picks the active language's version of a field stored in Finnish, Swedish and English columns.

Texts live in explicit `_fi`, `_sv`, `_en` columns rather than through a translation library: the
decision documents and open-data exports need both official languages side by side, and plain columns
keep fixtures, exports and the admin obvious. Finnish is the fallback, as it is always filled in.
"""

from django.utils.translation import get_language


def active_language():
    return (get_language() or "fi")[:2]


def localized(obj, field, language=None):
    language = language or active_language()
    value = getattr(obj, f"{field}_{language}", "") if language in ("fi", "sv", "en") else ""
    return value or getattr(obj, f"{field}_fi")


class Localized:
    """Descriptor: `name = Localized("name")` makes `obj.name` read `name_sv` on Swedish pages."""

    def __init__(self, field):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return localized(obj, self.field)


# Finnish and Swedish both sort å, ä and ö after z (and treat w as v only in old dictionaries, which
# we do not follow). Sorting in Python keeps the order the same on SQLite and PostgreSQL, whatever
# collation the database server was created with.
_NORDIC_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def nordic_sort_key(text):
    return str(text).casefold().translate(_NORDIC_ORDER)
