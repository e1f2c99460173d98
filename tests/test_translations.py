"""The Finnish and Swedish message catalogues are complete, and the compiled files match them."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["fi", "sv"]


def catalogue(language, suffix):
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = polib.pofile(str(catalogue(language, "po")))
    assert len(po) > 100
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}")
    for entry in polib.pofile(str(catalogue(language, "po"))):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(placeholder.findall(translation)) <= set(
                placeholder.findall(entry.msgid + entry.msgid_plural)
            ), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language):
    po = {entry.msgid: entry for entry in polib.pofile(str(catalogue(language, "po"))) if entry.translated()}
    mo = {entry.msgid: entry for entry in polib.mofile(str(catalogue(language, "mo")))}
    assert set(po) == set(mo) - {""}
    for msgid, entry in po.items():
        if entry.msgid_plural:
            assert {int(k): v for k, v in mo[msgid].msgstr_plural.items()} == entry.msgstr_plural, msgid
        else:
            assert mo[msgid].msgstr == entry.msgstr, msgid
