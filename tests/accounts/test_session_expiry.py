"""A session that expires while someone types: the form they post is kept for them, the sign-in page says
what happened, and after signing in again they are back on the same form with their text."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import verify_second_factor
from tests.factories import EvaluationCriterionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-test-password"


def expire(client):
    """What the idle limit does: the server forgets the session (the browser keeps its other cookies)."""
    client.session.flush()
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


def sign_in(client, email, next_url):
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD, "next": next_url})


def test_a_draft_posted_after_expiry_comes_back_after_signing_in(client, draft, people):
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    assert client.get(edit).status_code == 200  # the browser now knows whose it is
    expire(client)

    response = client.post(
        edit, {"project_name": "Yhteinen tiedonhallinta", "summary": "Pitkä teksti, jota ei saa hukata."}
    )
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith(reverse("accounts:login")) and "expired=1" in login
    assert "Your session expired" in client.get(login).content.decode()
    draft.refresh_from_db()
    assert draft.summary == ""  # nothing was saved without the user

    signed_in = sign_in(client, "lead@example.fi", edit)
    assert signed_in["Location"] == edit
    page = client.get(edit).content.decode()
    assert "Pitkä teksti, jota ei saa hukata." in page
    assert "What you typed has been put back below" in page
    # Only once: the next visit shows the saved draft.
    assert "Pitkä teksti, jota ei saa hukata." not in client.get(edit).content.decode()


def test_kept_input_is_given_only_to_the_same_person(client, draft, people):
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    client.get(edit)
    expire(client)
    client.post(edit, {"project_name": "x", "summary": "Eevan luonnosteksti"})
    sign_in(client, "lead2@example.fi", edit)  # a colleague signs in on the same computer
    assert "Eevan luonnosteksti" not in client.get(edit).content.decode()


def test_someone_who_never_signed_in_here_is_not_told_of_an_expired_session(draft):
    stranger = Client()
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    response = stranger.post(edit, {"summary": "x"})
    assert "expired" not in response["Location"]
    assert "kept_input" not in stranger.session


def test_signing_out_on_purpose_forgets_whose_browser_it_was(client, draft, people):
    client.force_login(people["lead"])
    client.get(reverse("applications:my-cases"))
    assert "grants_user" in client.cookies and client.cookies["grants_user"].value
    client.post(reverse("accounts:logout"))
    assert client.cookies["grants_user"].value == ""


def test_scores_posted_after_expiry_come_back_on_the_review(client, submitted_case, people, ministry_people):
    from applications import services

    EvaluationCriterionFactory(call=submitted_case.call)
    reviewer = ministry_people["reviewer"]
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    review = submitted_case.reviews.get()
    services.declare_interests(review=review, has_conflict=False, note="", by=reviewer)
    client.force_login(reviewer)
    verify_second_factor(client, reviewer)
    url = reverse("processing:review", kwargs={"pk": review.pk})
    client.get(url)
    expire(client)
    criterion = submitted_case.call.evaluation_criteria.get()
    client.post(
        url, {f"score_{criterion.pk}": "4", f"justification_{criterion.pk}": "Hyvin perusteltu hanke."}
    )
    client.force_login(reviewer)
    verify_second_factor(client, reviewer)
    page = client.get(url).content.decode()
    assert "Hyvin perusteltu hanke." in page


def test_an_action_posted_after_expiry_returns_to_the_page_of_its_form(client, submitted_case, people):
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    case = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    client.get(case)
    expire(client)
    action = reverse("processing:information", kwargs={"pk": submitted_case.pk})
    response = client.post(
        action, {"message": "Kysymys", "deadline": "2030-01-01"}, HTTP_REFERER=f"http://testserver{case}"
    )
    assert f"next={case}" in response["Location"].replace("%2F", "/")
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    page = client.get(case).content.decode()
    assert "What you typed has been put back below" in page and ">\nKysymys</textarea>" in page


def test_an_action_on_a_page_without_its_form_says_it_was_not_carried_out(client, submitted_case, people):
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    case = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    client.get(case)
    expire(client)
    # The diary number's form is on the case page, but its action is not one of the case's own.
    action = reverse("processing:diary-number", kwargs={"pk": submitted_case.pk})
    client.post(action, {"diary_number": "VN/123/2030"}, HTTP_REFERER=f"http://testserver{case}")
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    page = client.get(case).content.decode()
    assert "your last action was not carried out" in page and "put back below" not in page


def test_the_warning_before_the_idle_limit_is_on_signed_in_pages(client, people):
    client.force_login(people["lead"])
    page = client.get(reverse("applications:my-cases")).content.decode()
    assert 'id="session-warning"' in page and f'data-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert client.get(reverse("accounts:keepalive")).status_code == 204


def test_a_proposal_posted_after_expiry_comes_back_in_its_form_on_the_case_page(
    client, submitted_case, people
):
    """The proposal's form is a POST-only action on the case page: its text comes back there, in that
    form, and nothing was proposed meanwhile."""
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    case = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    client.get(case)
    expire(client)
    action = reverse("processing:proposal", kwargs={"pk": submitted_case.pk})
    grounds = "Hanke parantaa kuntien yhteistä tiedonhallintaa merkittävästi."
    client.post(
        action,
        {"outcome": "positive", "granted_amount": "12 345", "language": "fi", "grounds_fi": grounds},
        HTTP_REFERER=f"http://testserver{case}",
    )
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    response = client.get(case)
    page = response.content.decode()
    assert grounds in page and 'value="12 345"' in page
    assert "What you typed has been put back below" in page
    assert response.context["proposal_form"].data["grounds_fi"] == grounds
    assert not hasattr(submitted_case, "decision") or submitted_case.decision is None
    # Shown once: the next visit is the plain page.
    assert grounds not in client.get(case).content.decode()


def test_a_hearing_posted_after_expiry_comes_back_on_the_project_page(client, awarded_project, people):
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    project = reverse("processing:project", kwargs={"pk": awarded_project.pk})
    client.get(project)
    expire(client)
    facts = "Loppuraportin mukaan hankkeen kustannukset jäivät arvioitua pienemmiksi."
    client.post(
        reverse("processing:project-hearing", kwargs={"pk": awarded_project.pk}),
        {"basis": "excess", "facts": facts, "deadline": "2030-01-31"},
        HTTP_REFERER=f"http://testserver{project}",
    )
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    page = client.get(project).content.decode()
    assert facts in page and 'value="2030-01-31"' in page
    assert not awarded_project.hearings.exists()


def session_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_the_idle_limit_slides_with_use_renewed_at_most_once_a_minute(client, people, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from accounts import sessions

    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(sessions.timezone, "now", lambda: clock["now"])
    monkeypatch.setattr("django.contrib.sessions.backends.base.timezone.now", lambda: clock["now"])
    client.force_login(people["lead"])
    profile = reverse("accounts:profile")
    client.get(profile)
    first = session_expiry(client)
    assert first == start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    # Within the minute the session is not written again, and the page's warning counts from the renewal.
    clock["now"] = start + dt.timedelta(seconds=59)
    page = client.get(profile).content.decode()
    assert session_expiry(client) == first
    assert f'data-seconds="{settings.SESSION_COOKIE_AGE - 59}"' in page

    # After it, a page renews the limit from now.
    clock["now"] = start + dt.timedelta(seconds=61)
    page = client.get(profile).content.decode()
    assert session_expiry(client) == clock["now"] + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert f'data-seconds="{settings.SESSION_COOKIE_AGE}"' in page

    # "Stay signed in" always renews.
    clock["now"] = start + dt.timedelta(seconds=70)
    assert client.get(reverse("accounts:keepalive")).status_code == 204
    assert session_expiry(client) == clock["now"] + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_signed_in_page_within_the_minute_writes_nothing(client, people, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["lead"])
    client.get(reverse("accounts:profile"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("grants:privacy"))
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes == []
