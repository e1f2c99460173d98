"""The building blocks of the generated documents: sections, dates, the header and the PDF itself."""

from dataclasses import dataclass
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _

FONTS = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


def date_text(value):
    return formats.date_format(value, "j.n.Y") if value else "–"


def document_header(application, date, language):
    """The authority, the decision's Helsinki date, the system's case number and the ministry registry's
    diary number."""
    with translation.override(language):
        return [
            str(_("Ministry of Finance")),
            f"{_('Decision date')}: {date_text(date)}",
            f"{_('Case number')}: {application.case_number or '–'}",
            f"{_('Diary number')}: {application.diary_number or '–'}",
        ]


def sections_pdf(*, title, header, sections, language, author) -> bytes:
    """Any of the system's documents as PDF: a header block, a title, then headed sections."""
    from fpdf import FPDF  # with its fonts, about 26 MB a process: only where a document is written

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(str(title))
    pdf.set_author(str(author))
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    for line in header:
        pdf.cell(0, 5, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, str(title), new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, str(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, str(paragraph), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    return bytes(pdf.output())


def decision_document_pdf(application, *, title, date, sections, language) -> bytes:
    """A decision document of the case: the header with its Helsinki date, then the sections, empty
    paragraphs left out."""
    return sections_pdf(
        title=title,
        header=document_header(application, date, language),
        sections=[Section(s.heading, [p for p in s.paragraphs if p]) for s in sections],
        language=language,
        author=_("Ministry of Finance"),
    )
