"""Issue 16, point 6: every label on the officials' pages is translated: the worklist's sort options and
the journal's status changes in words, never codes such as "[draft → submitted]"."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import squeezed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, ascending, descending, leaked",
    [
        ("fi", "Asianumero", "Asianumero, laskeva", ["Case (descending)", "Lead", "(descending)"]),
        ("sv", "Ärendenummer", "Ärendenummer, fallande", ["Asianumero", "Jätetty", "Haettava", "(laskeva)"]),
    ],
)
def test_worklist_sort_options_are_translated(
    client, submitted_case, people, language, ascending, descending, leaked
):
    client.force_login(people["official"])
    with translation.override(language):
        url = reverse("processing:worklist", kwargs={"slug": submitted_case.call.slug})
    page = client.get(url).content.decode()
    assert f">{ascending}</option>" in page and f">{descending}</option>" in page
    for text in leaked:
        assert f">{text}" not in page


def test_the_journal_shows_status_changes_in_words(client, submitted_case, people):
    client.force_login(people["official"])
    with translation.override("fi"):
        url = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    page = client.get(url).content.decode()
    assert "→ Jätetty)" in squeezed(page)
    assert "draft →" not in page and "→ submitted" not in page


def test_the_wording_the_review_asked_for(client, submitted_case, people):
    """The proposal says what the decision does; the upload button adds an attachment; no "En, en ole"."""
    client.force_login(people["official"])
    with translation.override("fi"):
        case_url = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    page = client.get(case_url).content.decode()
    assert "Myönnetään" in page and "Hylätään" in page
    with translation.override("fi"):
        assert translation.gettext("No, I have no conflict of interest") == "Ei, en ole esteellinen"
        assert translation.gettext("Add the attachment") == "Lisää liite"
    with translation.override("sv"):
        assert translation.gettext("Grant") == "Beviljas" and translation.gettext("Reject") == "Avslås"


def test_no_case_link_is_named_by_a_dash(client, published_2022):
    """Validators' finding: the 24 cases of 2022 had no case number, so a screen reader heard 24 links
    named "dash"."""
    import re

    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    official = UserFactory()
    MembershipFactory(user=official, organisation_id=1, role=Role.OFFICIAL)
    client.force_login(official)
    for name in ("processing:worklist", "processing:decisions"):
        page = client.get(reverse(name, kwargs={"slug": published_2022.slug})).content.decode()
        assert not re.search(r'href="[^"]*/cases/\d+/">–</a>', page), name
        assert "(no case number)" in page
