"""Officials grant municipality staff memberships in the admin, and cannot raise anyone's privileges."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(ministry):
    user = UserFactory(email="official@example.fi")
    MembershipFactory(user=user, organisation=ministry, role=Role.OFFICIAL)
    user.refresh_from_db()
    return user


def test_role_groups_carry_permissions_after_migrate():
    official = Group.objects.get(name="official")
    codenames = set(official.permissions.values_list("codename", flat=True))
    assert {"add_membership", "delete_membership", "add_user", "change_user"} <= codenames
    assert "delete_user" not in codenames
    assert not Group.objects.get(name="reviewer").permissions.exists()


def test_official_role_gives_admin_access_and_losing_it_takes_it_away(official, ministry):
    assert official.is_staff
    Membership.objects.filter(user=official).delete()
    official.refresh_from_db()
    assert not official.is_staff


def test_reviewer_has_no_admin_access(client, ministry):
    reviewer = UserFactory()
    MembershipFactory(user=reviewer, organisation=ministry, role=Role.REVIEWER)
    reviewer.refresh_from_db()
    assert not reviewer.is_staff
    client.force_login(reviewer)
    assert client.get(reverse("admin:accounts_membership_add")).status_code == 302


def test_official_grants_municipality_membership(client, official):
    municipality = OrganisationFactory()
    staff = UserFactory()
    client.force_login(official)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": staff.pk,
            "organisation": municipality.pk,
            "role": Role.APPLICANT,
            "granted_at_0": "2026-11-28",
            "granted_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=staff, organisation=municipality, role=Role.APPLICANT).exists()


def test_official_cannot_grant_ministry_roles(client, official, ministry):
    client.force_login(official)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": official.pk,
            "organisation": ministry.pk,
            "role": Role.DECISION_MAKER,
            "granted_at_0": "2026-11-28",
            "granted_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=official, role=Role.DECISION_MAKER).exists()


def test_official_cannot_make_anyone_superuser(client, official):
    staff = UserFactory(full_name="Kunta Käyttäjä")
    client.force_login(official)
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    page = client.get(url)
    assert page.status_code == 200
    client.post(
        url,
        {
            "email": staff.email,
            "full_name": "Kunta Käyttäjä",
            "preferred_language": "fi",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "date_joined_0": "2026-11-28",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    staff.refresh_from_db()
    assert not staff.is_superuser and not staff.is_staff


def test_official_cannot_change_other_ministry_users_or_superusers(client, official, ministry):
    decision_maker = UserFactory()
    MembershipFactory(user=decision_maker, organisation=ministry, role=Role.DECISION_MAKER)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(official)
    for target in (decision_maker, superuser):
        # Django's UserAdmin names this URL after the auth app whatever the user model's app.
        response = client.post(
            reverse("admin:auth_user_password_change", args=[target.pk]),
            {"password1": "Kaapattu-salasana-1", "password2": "Kaapattu-salasana-1"},
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Kaapattu-salasana-1")
    membership = Membership.objects.get(user=decision_maker)
    delete = reverse("admin:accounts_membership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def grant(client, user, organisation):
    return client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": user.pk,
            "organisation": organisation.pk,
            "role": Role.APPLICANT,
            "granted_at_0": "2026-11-28",
            "granted_at_1": "10:00:00",
        },
    )


@pytest.mark.parametrize("who", ["self", "decision_maker", "superuser"])
def test_official_cannot_make_ministry_staff_municipality_staff(client, official, ministry, who):
    """Red-team finding 6: an official made themselves (and the decision-maker) Espoo's staff, then read
    its drafts and could act for it while processing the same cases."""
    decision_maker = UserFactory()
    MembershipFactory(user=decision_maker, organisation=ministry, role=Role.DECISION_MAKER)
    target = {
        "self": official,
        "decision_maker": decision_maker,
        "superuser": UserFactory(is_superuser=True),
    }[who]
    espoo = OrganisationFactory()
    client.force_login(official)
    response = grant(client, target, espoo)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=target, organisation=espoo).exists()


def test_official_cannot_add_a_membership_on_their_own_user_page(client, official):
    espoo = OrganisationFactory()
    client.force_login(official)
    page = client.get(reverse("admin:accounts_user_change", args=[official.pk])).content.decode()
    assert "memberships-TOTAL_FORMS" not in page or 'name="memberships-0-organisation"' not in page
    inline = client.post(
        reverse("admin:accounts_user_change", args=[official.pk]),
        {
            "email": official.email,
            "full_name": official.full_name,
            "preferred_language": "fi",
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": espoo.pk,
            "memberships-0-role": Role.APPLICANT,
            "memberships-0-granted_at_0": "2026-11-28",
            "memberships-0-granted_at_1": "10:00:00",
        },
    )
    assert inline.status_code in (200, 302, 403)
    assert not Membership.objects.filter(user=official, organisation=espoo).exists()


def test_official_sets_no_password_and_changes_no_address(client, official):
    staff = UserFactory(email="espoo@example.fi")
    MembershipFactory(user=staff, organisation=OrganisationFactory(), role=Role.APPLICANT)
    client.force_login(official)
    assert client.get(reverse("admin:auth_user_password_change", args=[staff.pk])).status_code == 403
    client.post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        {
            "email": "attacker@example.fi",
            "full_name": staff.full_name,
            "preferred_language": "fi",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    staff.refresh_from_db()
    assert staff.email == "espoo@example.fi"


def test_only_a_superuser_exports_someone_elses_personal_data(client, official):
    """Red-team finding 7: officials exported superusers' and colleagues' sign-in histories."""
    other = UserFactory()
    action = {"action": "export_personal_data", "_selected_action": [other.pk]}
    client.force_login(official)
    response = client.post(reverse("admin:accounts_user_changelist"), action)
    assert not response.get("Content-Type", "").startswith("application/json")
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post(reverse("admin:accounts_user_changelist"), action)
    assert response["Content-Type"].startswith("application/json")
