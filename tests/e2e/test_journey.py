"""The whole journey in a real browser, in Finnish and in Swedish.

A municipality prepares a joint application, a partner confirms, the lead submits, an official checks and
assigns, the reviewer scores, the official proposes, the decision-maker approves, the municipality reads
the decision, the official publishes and the results are public. Sign-in, the partner's confirmation and
the submission are done by keyboard alone."""

import re

import pytest

from applications.models import Application, Decision, DecisionStatus, ReviewStatus, Status
from tests.conftest import deliver_mail

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

ELIGIBILITY_ITEMS = ["arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs"]


def tab_to(page, selector, limit=120):
    """Presses Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def submit_form_with(page, field_selector, button_selector="button[type=submit]"):
    with page.expect_navigation():
        page.locator(f"form:has({field_selector})").locator(button_selector).first.click()


def press_enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def click(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_joint_application_to_published_decision(
    visit, enrolled, language, open_call, municipalities, people, ministry_people
):
    for user in (people["official"], ministry_people["reviewer"], ministry_people["decision_maker"]):
        enrolled(user)
    call = open_call

    # 1. The lead municipality's staff start a draft and fill it in.
    lead = visit()
    lead.sign_in("lead@example.fi", language)
    page = lead.go(f"/{language}/applications/new/{call.slug}/")
    page.fill("#id_project_name", "Yhteinen tiedonhallinta")
    press_enter(page)
    assert re.search(r"/edit/$", page.url)
    for field, text in {
        "summary": "Kunnat kuvaavat tietoaineistonsa laadun yhdessä.",
        "objectives": "Yhteinen laatumalli.",
        "actions": "Kuvaus, arviointi, kehittäminen.",
        "schedule": "Kaksi vuotta.",
        "expected_results": "Laatumalli ja mittarit.",
        "dissemination": "Avoin julkaisu ja koulutus muille kunnille.",
        "contact_name": "Eeva Espoo",
        "contact_email": "hanke@espoo.example.fi",
    }.items():
        page.fill(f"#id_{field}", text)
    page.check("input[name=emphasis_area] >> nth=0")
    page.fill("#id_start_date", call.use_period_start.isoformat())
    page.fill("#id_end_date", call.use_period_end.isoformat())
    page.select_option("#id_budget-0-category", "personnel")
    page.fill("#id_budget-0-description", "Projektipäällikkö")
    page.fill("#id_budget-0-amount", "80 000")
    page.select_option("#id_budget-1-category", "purchased_services")
    page.fill("#id_budget-1-description", "Konsultointi")
    page.fill("#id_budget-1-amount", "20000")
    page.fill("#id_requested_amount", "85000")
    page.fill("#id_own_financing", "15000")
    click(page, "button[name=save_and_continue]")
    assert re.search(r"/participants/$", page.url), page.url
    page.fill("#id_municipality", municipalities["partner"].code)
    submit_form_with(page, "#id_municipality")
    shares = page.locator("input[name^=share_]:not([name=share_percent])")
    assert shares.count() == 2
    shares.nth(0).fill("60")
    shares.nth(1).fill("40")
    submit_form_with(page, "input[name^=share_]:not([name=share_percent])")
    application = Application.objects.get(project_name="Yhteinen tiedonhallinta")
    lead.screenshot(f"journey-{language}-1-participants")

    # 2. The partner's staff confirm by keyboard: Tab to the answer, Space, Tab on to the button, Enter.
    partner = visit()
    partner.sign_in("partner@example.fi", language)
    page = partner.go(f"/{language}/applications/{application.pk}/")
    tab_to(page, "input[name=answer][value=confirm]")
    page.keyboard.press("Space")
    tab_to(page, "form:has(input[name=answer]) button[type=submit]")
    press_enter(page)
    assert application.participants.get(organisation=municipalities["partner"]).status == "confirmed"

    # 3. The lead checks the answers and submits by keyboard: the declaration, then the button.
    page = lead.go(f"/{language}/applications/{application.pk}/submit/")
    lead.screenshot(f"journey-{language}-2-submit")
    tab_to(page, "input[name=declaration]")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.case_number in page.content()
    assert page.url.endswith(f"/applications/{application.pk}/submitted/")
    lead.screenshot(f"journey-{language}-3-receipt")
    receipts = deliver_mail()
    assert any(application.case_number in message.subject + message.body for message in receipts)

    # 4. The official checks eligibility and assigns the reviewer (second factor at sign-in).
    official = visit()
    official.sign_in("official@example.fi", language)
    page = official.go(f"/{language}/processing/cases/{application.pk}/")
    for item in ELIGIBILITY_ITEMS:
        page.check(f"input[name={item}][value=yes]")
    submit_form_with(page, "input[name=arrived_in_time]")
    page.check(f"input[name=reviewers][value='{ministry_people['reviewer'].pk}']")
    submit_form_with(page, "input[name=reviewers]")
    official.screenshot(f"journey-{language}-3-case")

    # 5. The reviewer declares no conflict and completes the scores.
    reviewer = visit()
    reviewer.sign_in("arvioija@example.fi", language)
    review = application.reviews.get()
    page = reviewer.go(f"/{language}/processing/reviews/{review.pk}/")
    page.check("input[name=conflict][value=no]")
    click(page, "button[name=declare]")
    for select in page.locator("select[name^=score_]").all():
        select.select_option("4")
    for text in page.locator("textarea[name^=justification_]").all():
        text.fill("Hyvin perusteltu.")
    click(page, "button[name=complete]")
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED

    # 6. The official proposes a grant in the lead municipality's language.
    page = official.go(f"/{language}/processing/cases/{application.pk}/")
    page.check("input[name=outcome][value=positive]")
    page.fill("#id_granted_amount", "80000")
    page.fill("#id_grounds_fi", "Hanke edistää haun tavoitteita.")
    page.fill("#id_grounds_sv", "Projektet främjar målen.")
    submit_form_with(page, "input[name=outcome]")
    decision = Decision.objects.get(application=application)
    assert decision.status == DecisionStatus.PROPOSED

    # 7. The application period ends; the decision-maker approves (decisions wait for the period's end).
    from datetime import timedelta

    type(call).objects.filter(pk=call.pk).update(closes_at=call.opens_at + timedelta(minutes=1))
    decider = visit()
    decider.sign_in("paattaja@example.fi", language)
    page = decider.go(f"/{language}/processing/calls/{call.slug}/decisions/")
    decider.screenshot(f"journey-{language}-4-decisions")
    click(page, f"form[action$='/decisions/{decision.pk}/approve/'] button")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED

    # 8. The municipality reads its decision.
    page = lead.go(f"/{language}/applications/{application.pk}/decision/")
    assert "80\xa0000" in page.inner_text("main")
    lead.screenshot(f"journey-{language}-5-decision")

    # 9. Results are published after the application period and are public.
    page = official.go(f"/{language}/processing/calls/{call.slug}/decisions/")
    click(page, f"a[href$='/calls/{call.slug}/publish/']")  # the confirmation page says what becomes public
    official.screenshot(f"journey-{language}-6-confirm-publication")
    click(page, f"form[action$='/calls/{call.slug}/publish/'] button")
    anonymous = visit(viewport=PHONE)
    page = anonymous.go(f"/{language}/calls/{call.slug}/results/")
    assert "Yhteinen tiedonhallinta" in page.content()
    anonymous.screenshot(f"journey-{language}-7-results-phone")

    for visitor in (lead, partner, official, reviewer, decider, anonymous):
        assert visitor.errors == [], visitor.errors
