"""axe-core scans every page type, as each role that uses it, in Finnish and Swedish, on a desktop and on a
360-pixel-wide phone; any violation of a WCAG 2.1 A or AA rule fails the test, and so does a page wider than
the window (sideways scrolling). The same visits write the
screenshots for review, and fail on any browser console error (a blocked script or style would show as a
content-security-policy error there)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from tests.security.test_access_matrix import build_world, url_for

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(submitted_case, people, ministry_people, open_call, municipalities):
    """The access matrix's world, committed for the live server (a browser test runs outside any rolled-back
    transaction, so it cannot share the matrix's world built once per module)."""
    return build_world(submitted_case, people, ministry_people, open_call, municipalities)


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Page types, by the role that sees them. Each is named for its screenshot.
PAGES = {
    None: [
        "grants:home",
        "grants:call-detail",
        "opendata:call-results",
        "grants:privacy",
        "grants:accessibility",
        "accounts:login",
        "accounts:password_reset",
    ],
    "lead@example.fi": [
        "applications:my-cases",
        "applications:start",
        "applications:detail",
        "applications:edit",
        "applications:participants",
        "applications:attachments",
        "applications:submit",
        "applications:receipt",
        "applications:print",
        "applications:decision",
        "applications:project",
        "accounts:profile",
    ],
    "partner@example.fi": ["partner-answer"],
    "official@example.fi": [
        "processing:desk",
        "processing:calls",
        "processing:worklist",
        "processing:case",
        "processing:ranking",
        "processing:decisions",
        "processing:decision",
        "processing:follow-up",
        "processing:project",
        "processing:call-create",
        "processing:call-edit",
        "processing:call-preview",
        "processing:call-open",
        "processing:call-close",
        "accounts:invitations",
    ],
    "arvioija@example.fi": ["reviewer-desk", "processing:my-reviews", "processing:review"],
    "paattaja@example.fi": ["decider-desk", "decider-decisions"],
}
# Screenshots in both languages and sizes for the main pages; the rest are scanned only.
MAIN_PAGES = {
    "grants:home",
    "opendata:call-results",
    "applications:my-cases",
    "applications:edit",
    "applications:participants",
    "applications:submit",
    "applications:decision",
    "processing:worklist",
    "processing:case",
    "processing:review",
    "processing:desk",
    "reviewer-desk",
    "decider-desk",
    "applications:receipt",
    "decider-decisions",
    "processing:call-edit",
    "processing:call-preview",
}


def path_for(name, world, language):  # noqa: F811
    with translation.override(language):
        if name == "partner-answer":
            return url_for("applications:detail", world)
        if name == "decider-decisions":
            return url_for("processing:decisions", world)
        if name in ("reviewer-desk", "decider-desk"):
            return url_for("processing:desk", world)
        return url_for(name, world)


def scan(visitor, name, language, viewport_name):
    results = Axe().run(visitor.page, options=WCAG_21_AA)
    if name in MAIN_PAGES:
        visitor.screenshot(f"{language}-{viewport_name}-{name.replace(':', '-')}")
    if results.violations_count:
        return [f"{language} {viewport_name} {name} ({visitor.page.url}):\n{results.generate_report()}"]
    return []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_page_type_has_no_wcag_21_aa_violations(
    visit,
    enrolled,
    world,
    language,  # noqa: F811
):
    from applications.services import publish_results

    publish_results(call=world["call"], by=world["users"]["official"])
    for role in ("official", "reviewer", "decider"):
        enrolled(world["users"][role])
    problems = []
    for email, names in PAGES.items():
        # One sign-in per role (an authenticator code works once); each page is scanned at both sizes.
        visitor = visit(viewport=DESKTOP)
        if email:
            visitor.sign_in(email, language)
        for name in names:
            for viewport_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                visitor.page.set_viewport_size(viewport)
                visitor.go(path_for(name, world, language))
                problems += scan(visitor, name, language, viewport_name)
                # No page scrolls sideways: the document is no wider than the window (wide tables scroll
                # inside their own region).
                width = visitor.page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    problems.append(f"{language} {viewport_name} {name}: the page is {width} px wide")
        problems += [f"{language} {email} console: {error}" for error in visitor.errors]
    assert problems == [], "\n\n".join(problems)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_two_factor_pages_and_error_states_have_no_violations(visit, people, language):
    """Enrolment, a wrong code and a form with errors: the error summary and the messages tied to fields."""
    visitor = visit()
    visitor.sign_in("official@example.fi", language, signed_in_fully=False)  # no authenticator: enrolment
    assert "/two-factor/setup/" in visitor.page.url
    problems = scan(visitor, "two-factor-setup", language, "desktop")
    visitor.page.fill("#id_code", "000000")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    assert visitor.page.locator("#id_code_error1").count() == 1
    assert visitor.page.get_attribute("#id_code", "aria-describedby").count("id_code_error1") == 1
    problems += scan(visitor, "two-factor-wrong-code", language, "desktop")

    lead = visit()
    lead.sign_in("lead@example.fi", language)
    lead.go(f"/{language}/accounts/profile/")
    lead.page.fill("#id_full_name", "")
    with lead.page.expect_navigation():
        lead.page.locator("main form button[type=submit]").first.click()
    summary = lead.page.locator("#error-summary a")
    assert summary.count() == 1 and summary.get_attribute("href") == "#id_full_name"
    problems += scan(lead, "profile-with-error", language, "desktop")
    assert problems == [], "\n\n".join(problems)
