"""Who may reach each URL of the applicant's side: anonymous, another municipality, a partner, the lead,
and a ministry official. Another municipality always gets 404, so a case's existence is not revealed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications import services
from applications.attachments import check_upload
from applications.models import Attachment, Participant, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def attach_pdf(application, by):
    return services.add_attachment(
        application=application,
        upload=check_upload(SimpleUploadedFile("plan.pdf", PDF)),
        description="",
        by=by,
    )


@pytest.fixture
def case(draft, people, municipalities):
    attachment = attach_pdf(draft, people["lead"])
    partner = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    return {"application": draft, "attachment": attachment, "partner": partner}


def urls(case):
    pk = case["application"].pk
    return {
        "detail": ("get", reverse("applications:detail", kwargs={"pk": pk})),
        "edit": ("get", reverse("applications:edit", kwargs={"pk": pk})),
        "participants": ("get", reverse("applications:participants", kwargs={"pk": pk})),
        "shares": ("post", reverse("applications:shares", kwargs={"pk": pk})),
        "remove": (
            "post",
            reverse(
                "applications:remove-participant", kwargs={"pk": pk, "participant_pk": case["partner"].pk}
            ),
        ),
        "participation": ("post", reverse("applications:participation", kwargs={"pk": pk})),
        "attachments": ("get", reverse("applications:attachments", kwargs={"pk": pk})),
        "attachment": (
            "get",
            reverse("applications:attachment", kwargs={"pk": pk, "attachment_pk": case["attachment"].pk}),
        ),
        "delete-attachment": (
            "post",
            reverse(
                "applications:delete-attachment", kwargs={"pk": pk, "attachment_pk": case["attachment"].pk}
            ),
        ),
        "submit": ("get", reverse("applications:submit", kwargs={"pk": pk})),
        "withdraw": ("get", reverse("applications:withdraw", kwargs={"pk": pk})),
        "print": ("get", reverse("applications:print", kwargs={"pk": pk})),
    }


# Expected status per role on a draft. 200/302 = allowed (302: the action redirects after its message).
DRAFT_EXPECTED = {
    "lead": {
        "detail": 200,
        "edit": 200,
        "participants": 200,
        "shares": 200,
        "remove": 302,
        "participation": 403,
        "attachments": 200,
        "attachment": 200,
        "delete-attachment": 302,
        "submit": 200,
        "withdraw": 302,
        "print": 200,
    },
    "partner": {
        "detail": 200,
        "edit": 403,
        "participants": 403,
        "shares": 403,
        "remove": 403,
        "participation": 200,
        "attachments": 200,
        "attachment": 200,
        "delete-attachment": 403,
        "submit": 403,
        "withdraw": 403,
        "print": 200,
    },
    "other": dict.fromkeys(
        [
            "detail",
            "edit",
            "participants",
            "shares",
            "remove",
            "participation",
            "attachments",
            "attachment",
            "delete-attachment",
            "submit",
            "withdraw",
            "print",
        ],
        404,
    ),
    # Officials see applications only once submitted.
    "official": dict.fromkeys(
        [
            "detail",
            "edit",
            "participants",
            "shares",
            "remove",
            "participation",
            "attachments",
            "attachment",
            "delete-attachment",
            "submit",
            "withdraw",
            "print",
        ],
        404,
    ),
}


@pytest.mark.parametrize("role", list(DRAFT_EXPECTED))
def test_draft_access(client, case, people, role):
    client.force_login(people[role])
    for name, (method, url) in urls(case).items():
        response = getattr(client, method)(url)
        assert response.status_code == DRAFT_EXPECTED[role][name], (role, name, response.status_code)


def test_anonymous_is_sent_to_sign_in_everywhere(client, case):
    for name, (method, url) in urls(case).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"], name
    response = client.get(reverse("applications:my-cases"))
    assert reverse("accounts:login") in response["Location"]


SUBMITTED_EXPECTED = {
    "lead": {
        "detail": 200,
        "edit": 302,
        "attachments": 200,
        "attachment": 200,
        "print": 200,
        "withdraw": 200,
        "submit": 200,
    },
    "partner": {
        "detail": 200,
        "edit": 403,
        "attachments": 200,
        "attachment": 200,
        "print": 200,
        "withdraw": 403,
        "submit": 403,
    },
    "other": {
        "detail": 404,
        "edit": 404,
        "attachments": 404,
        "attachment": 404,
        "print": 404,
        "withdraw": 404,
        "submit": 404,
    },
    "official": {
        "detail": 200,
        "edit": 403,
        "attachments": 200,
        "attachment": 200,
        "print": 200,
        "withdraw": 403,
        "submit": 403,
    },
}


@pytest.mark.parametrize("role", list(SUBMITTED_EXPECTED))
def test_submitted_access(client, ready, people, role):
    attachment = attach_pdf(ready, people["lead"])
    services.submit_application(application=ready, by=people["lead"])
    partner = Participant.objects.get(application=ready, role="partner")
    client.force_login(people[role])
    all_urls = urls({"application": ready, "attachment": attachment, "partner": partner})
    for name, expected in SUBMITTED_EXPECTED[role].items():
        method, url = all_urls[name]
        response = getattr(client, method)(url)
        assert response.status_code == expected, (role, name, response.status_code)
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED
    assert Attachment.objects.filter(application=ready).count() == 1


def test_unknown_application_is_404(client, people):
    client.force_login(people["lead"])
    assert client.get(reverse("applications:detail", kwargs={"pk": 987654})).status_code == 404


def test_a_reviewer_who_declared_a_conflict_no_longer_reads_the_case(submitted_case, people, ministry_people):
    reviewer = ministry_people["reviewer"]
    services.assign_reviewers(applications=[submitted_case], reviewers=[reviewer], by=people["official"])
    browser = Client()
    browser.force_login(reviewer)
    print_url = reverse("applications:print", kwargs={"pk": submitted_case.pk})
    assert browser.get(print_url).status_code == 200
    review = submitted_case.reviews.get()
    services.declare_interests(review=review, has_conflict=True, note="Entinen työnantaja", by=reviewer)
    assert browser.get(print_url).status_code == 404
    assert browser.get(reverse("applications:copy-pdf", kwargs={"pk": submitted_case.pk})).status_code == 404
