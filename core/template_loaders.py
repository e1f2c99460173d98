"""The project's HTML templates are indented for the people who read them (djlint formats them); the pages
need none of that. This loader drops each line's leading white space when it reads an `.html` template
from the project's `templates/` folder, once per process (the cached loader keeps the compiled template),
so a page's size and rendering cost do not grow with its source's indentation. What a browser shows is
the same: the line break stays, and with it the one space it stands for in running text.

Left as they are: other files (mail's plain text, where indentation is content), the text of a
`<pre>` or `<textarea>` and of a `{% blocktranslate %}` without `trimmed` (its text is its message id).
"""

import re

from django.template.loaders import filesystem

KEEP_OPENS = re.compile(r"<(pre|textarea)\b|\{%-?\s*blocktrans(?:late)?\b(?![^%]*\btrimmed\b)")
KEEP_CLOSES = re.compile(r"</(pre|textarea)>|\{%-?\s*endblocktrans(?:late)?\s*-?%\}")


def without_indentation(source: str) -> str:
    lines = []
    keeping = 0
    for line in source.split("\n"):
        lines.append(line if keeping else line.lstrip(" \t"))
        keeping = max(0, keeping + len(KEEP_OPENS.findall(line)) - len(KEEP_CLOSES.findall(line)))
    return "\n".join(lines)


class Loader(filesystem.Loader):
    def get_contents(self, origin):
        contents = super().get_contents(origin)
        return without_indentation(contents) if origin.name.endswith(".html") else contents
