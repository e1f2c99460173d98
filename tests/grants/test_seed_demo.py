"""`make run`'s demo accounts: one per role, created again without duplicates."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_for_every_role_and_idempotent(published_2022, capsys):
    call_command("seed_demo", allow_without_debug=True)
    call_command("seed_demo", allow_without_debug=True)
    output = capsys.readouterr().out
    assert "demo-password-2026" in output
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.APPLICANT, Role.OFFICIAL, Role.REVIEWER, Role.DECISION_MAKER}
    assert User.objects.filter(email="admin@example.fi", is_superuser=True).exists()
    municipalities = Membership.objects.filter(role=Role.APPLICANT).values("organisation").distinct().count()
    assert municipalities >= 3
    assert User.objects.count() == len(set(User.objects.values_list("email", flat=True)))
    assert User.objects.get(email="espoo@example.fi").check_password("demo-password-2026")
    from grants.models import Call

    demo_call = Call.objects.get(slug="demo-open-call")
    assert demo_call.is_open()
    assert list(Call.objects.open()) == [demo_call]
    assert demo_call.emphasis_areas.count() == 2 and demo_call.evaluation_criteria.count() == 3
    assert (demo_call.max_share_percent, demo_call.min_municipalities) == (85, 2)
    assert User.objects.get(email="virkailija@example.fi").is_staff
    assert not User.objects.get(email="espoo@example.fi").is_staff
    reviewer = User.objects.get(email="arvioija@example.fi")
    assert list(reviewer.groups.values_list("name", flat=True)) == ["reviewer"]


def test_demo_accounts_refused_without_debug(published_2022):
    with pytest.raises(CommandError, match="development only"):
        call_command("seed_demo")


def test_role_groups_follow_memberships(published_2022):
    call_command("seed_demo", allow_without_debug=True)
    official = User.objects.get(email="virkailija@example.fi")
    assert official.groups.filter(name="official").exists()
    Membership.objects.filter(user=official).delete()
    assert not official.groups.exists()
    assert Group.objects.filter(name__in=["official", "reviewer", "decision_maker"]).count() == 3


@pytest.mark.second_factor_not_passed
def test_ministry_demo_accounts_sign_in_with_the_demo_code(published_2022, client, capsys):
    call_command("seed_demo", allow_without_debug=True)
    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in capsys.readouterr().out
    call_command("demo_code", allow_without_debug=True)
    code = capsys.readouterr().out.split()[0]
    from django.urls import reverse

    client.post(
        reverse("accounts:login"), {"username": "virkailija@example.fi", "password": "demo-password-2026"}
    )
    assert client.get(reverse("processing:calls")).status_code == 302
    response = client.post(reverse("accounts:two-factor"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("processing:calls")).status_code == 200


def test_demo_code_refused_without_debug():
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_code")
