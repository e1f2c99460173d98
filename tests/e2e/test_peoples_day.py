"""The people's day in a real browser, in Finnish and Swedish: nothing typed is lost (a reviewer's failed
completion, a session that expires in the middle of the application form, two people saving the same
draft), each role lands on its own page with its counts, and the applicant checks the answers before
submitting. Screenshots go to the test artefacts for the issue's before/after review."""

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.models import Status
from tests.conftest import end_application_period, propose_award
from tests.factories import ApplicationFactory, EvaluationCriterionFactory

from .test_journey import click

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {"fi": "Pitkä perustelu, jota ei saa hukata.", "sv": "En lång motivering som inte får gå förlorad."}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_reviewer_who_completes_too_early_keeps_every_entry(
    visit, enrolled, language, submitted_case, people, ministry_people
):
    first, second = (
        EvaluationCriterionFactory(call=submitted_case.call),
        EvaluationCriterionFactory(call=submitted_case.call),
    )
    reviewer = ministry_people["reviewer"]
    enrolled(reviewer)
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    review = submitted_case.reviews.get()
    services.declare_interests(review=review, has_conflict=False, note="", by=reviewer)
    visitor = visit()
    visitor.sign_in(reviewer.email, language)
    page = visitor.go(f"/{language}/processing/reviews/{review.pk}/")
    page.select_option(f"#id_score_{first.pk}", "4")
    page.fill(f"#id_justification_{first.pk}", TEXT[language])
    # The second criterion is left unscored, and "mark complete" is pressed.
    click(page, "button[name=complete]")
    assert page.input_value(f"#id_justification_{first.pk}") == TEXT[language]
    assert page.input_value(f"#id_score_{first.pk}") == "4"
    assert page.locator(f"#id_score_{second.pk}_error1").count() == 1
    visitor.screenshot(f"peoples-day-{language}-review-kept")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_session_expiring_in_the_application_form_keeps_the_text(visit, language, draft, people):
    visitor = visit()
    visitor.sign_in("lead@example.fi", language)
    page = visitor.go(f"/{language}/applications/{draft.pk}/edit/")
    page.fill("#id_summary", TEXT[language])
    # The idle limit passes: the server forgets the session (the browser keeps its other cookies).
    session = next(c for c in visitor.context.cookies() if c["name"] == "sessionid")
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session["value"]).delete()
    click(page, "button[name=save]")
    assert "/accounts/login/" in page.url and "expired=1" in page.url
    assert page.locator(".message-warning").count() == 1
    visitor.screenshot(f"peoples-day-{language}-session-expired")
    page.fill("#id_username", "lead@example.fi")
    page.fill("#id_password", "a-good-test-password")
    click(page, "main form button[type=submit]")
    assert page.url.endswith(f"/{language}/applications/{draft.pk}/edit/")
    assert page.input_value("#id_summary") == TEXT[language]
    visitor.screenshot(f"peoples-day-{language}-input-restored")
    draft.refresh_from_db()
    assert draft.summary == ""  # put back on the page, saved only when the user saves


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_second_save_of_the_same_draft_is_refused_with_both_texts(visit, language, draft, people):
    eeva, erkki = visit(), visit()
    eeva.sign_in("lead@example.fi", language)
    erkki.sign_in("lead2@example.fi", language)
    mine = eeva.go(f"/{language}/applications/{draft.pk}/edit/")
    theirs = erkki.go(f"/{language}/applications/{draft.pk}/edit/")
    theirs.fill("#id_summary", "Erkin teksti")
    click(theirs, "button[name=save]")
    mine.fill("#id_summary", "Eevan teksti")
    click(mine, "button[name=save]")
    assert mine.input_value("#id_summary") == "Eevan teksti"
    assert "Erkin teksti" in mine.locator(".conflict").inner_text()
    eeva.screenshot(f"peoples-day-{language}-edit-conflict")
    draft.refresh_from_db()
    assert draft.summary == "Erkin teksti"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_each_role_lands_on_its_own_page_with_counts(
    visit, enrolled, language, submitted_case, municipalities, people, ministry_people
):
    official, reviewer, decider = (
        people["official"],
        ministry_people["reviewer"],
        ministry_people["decision_maker"],
    )
    for user in (official, reviewer, decider):
        enrolled(user)
    due = timezone.localdate() + dt.timedelta(days=7)
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=official, due_date=due)
    propose_award(submitted_case, official)
    end_application_period(submitted_case.call)
    # A second application, not yet checked: the official's new work.
    ApplicationFactory(
        call=submitted_case.call,
        submitted=True,
        lead=municipalities["other"],
        case_sequence=2,
        case_number="VM/2",
    )
    # The lead is asked for more information: its turn.
    services.request_information(
        application=submitted_case, message="Tarkentakaa.", deadline=due, by=official
    )

    expectations = [
        ("official@example.fi", "/processing/tasks/", "official"),
        (reviewer.email, "/processing/tasks/", "reviewer"),
        (decider.email, "/processing/tasks/", "decider"),
        ("lead@example.fi", "/applications/", "municipality"),
    ]
    for email, landing, name in expectations:
        visitor = visit()
        page = visitor.sign_in(email, language)
        assert page.url.endswith(landing), (email, page.url)  # in the user's own language
        assert page.locator(".nav-count").count() == 1, email
        assert int(page.locator(".nav-count").first.inner_text().split()[0]) >= 1
        visitor.screenshot(f"peoples-day-{language}-landing-{name}")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_applicant_checks_the_answers_before_submitting(visit, language, ready, people):
    visitor = visit()
    visitor.sign_in("lead@example.fi", language)
    page = visitor.go(f"/{language}/applications/{ready.pk}/submit/")
    body = page.locator("main").inner_text()
    assert "Kunnat kuvaavat tietoaineistonsa laadun yhdessä." in body and "Projektipäällikkö" in body
    visitor.screenshot(f"peoples-day-{language}-check-answers")
    click(page, "main form button[type=submit]")  # without the declaration
    assert page.locator("#id_declaration_error1").count() == 1
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT
    page.check("#id_declaration")
    click(page, "main form button[type=submit]")
    assert page.url.endswith("/submitted/")
    ready.refresh_from_db()
    assert (
        ready.status == Status.SUBMITTED
        and ready.case_number in page.locator(".confirmation-panel").inner_text()
    )
    visitor.screenshot(f"peoples-day-{language}-receipt")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_officials_pages_fit_a_laptop_and_the_case_is_read_beside_its_work(
    visit, enrolled, language, submitted_case, people
):
    enrolled(people["official"])
    visitor = visit()  # 1280 px wide
    visitor.sign_in("official@example.fi", language)
    page = visitor.go(f"/{language}/processing/calls/{submitted_case.call.slug}/")
    measure = (
        "() => { const t = document.querySelector('main table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; }"
    )
    widths = page.evaluate(measure)
    fits = widths[0] <= widths[1]
    visitor.screenshot(f"peoples-day-{language}-worklist-1280")
    assert fits, f"the worklist needs sideways scrolling at 1280 px: {widths}"
    page = visitor.go(f"/{language}/processing/cases/{submitted_case.pk}/")
    text = page.locator(".case-application").bounding_box()
    work = page.locator(".case-work").bounding_box()
    assert text["x"] < work["x"] and abs(text["y"] - work["y"]) < 5  # side by side
    assert page.locator(".next-action").count() == 1
    visitor.screenshot(f"peoples-day-{language}-case-page")
