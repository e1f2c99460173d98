"""Templates are formatted (djlint --reformat; `make lint` and CI run `djlint --check`), and no template
line is longer than LIMIT characters, leaving out the translatable text on it: breaking a translatable
string would change its message id, and with it every translation."""

import re
from pathlib import Path

from django.conf import settings

LIMIT = 160
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def without_translatable_text(line: str) -> str:
    line = re.sub(r"(\{% blocktrans(?:late)?[^%]*%\}).*?(\{% endblocktrans(?:late)? %\})", r"\1…\2", line)
    line = re.sub(r"(\{% blocktrans(?:late)?[^%]*%\}).*$", r"\1…", line)
    line = re.sub(r"^.*?(\{% endblocktrans(?:late)? %\})", r"…\1", line)
    return re.sub(r"""(\{% trans(?:late)? )(".*?"|'.*?')""", r"\1'…'", line)


def test_translatable_text_is_left_out_and_nothing_else():
    line = '<p>{% translate "' + "x" * 200 + '" %} {{ value }}</p>'
    assert without_translatable_text(line) == "<p>{% translate '…' %} {{ value }}</p>"
    assert len(without_translatable_text("<p>" + "{{ a }}" * 40 + "</p>")) > LIMIT


def test_no_template_line_is_too_long():
    long_lines = [
        f"{path.relative_to(TEMPLATES)}:{number} ({len(line)})"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "emails" not in path.parts  # mail keeps its own layout (inline styles; djlint leaves it out)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(without_translatable_text(line)) > LIMIT
    ]
    assert not long_lines, f"template lines over {LIMIT} characters: {long_lines}"
