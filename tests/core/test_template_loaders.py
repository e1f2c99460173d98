"""The project's HTML templates are served without their source's indentation (core/template_loaders.py),
and nothing a browser shows, or a message id, changes with it."""

from django.test import Client
from django.urls import reverse

from core.template_loaders import without_indentation


def test_leading_white_space_goes_and_line_breaks_stay():
    source = "<ul>\n    <li>\n      {{ name }}\n    </li>\n  </ul>"
    assert without_indentation(source) == "<ul>\n<li>\n{{ name }}\n</li>\n</ul>"


def test_pre_textarea_and_untrimmed_translations_keep_their_text():
    kept = (
        "<pre>\n  indented\n    more\n</pre>\n"
        "<textarea>\n  typed\n</textarea>\n"
        "{% blocktranslate %}Line one\n   line two{% endblocktranslate %}\n"
        "  {% blocktranslate trimmed %}\n    Trimmed\n  {% endblocktranslate %}"
    )
    assert without_indentation(kept) == (
        "<pre>\n  indented\n    more\n</pre>\n"
        "<textarea>\n  typed\n</textarea>\n"
        "{% blocktranslate %}Line one\n   line two{% endblocktranslate %}\n"
        "{% blocktranslate trimmed %}\nTrimmed\n{% endblocktranslate %}"
    )


def test_a_page_carries_no_indentation(db):
    page = Client().get(reverse("grants:home")).content.decode()
    body = page[page.index("<body") :]
    assert "\n  <" not in body and "\n    {" not in body
    assert "<main" in body  # the page is whole
