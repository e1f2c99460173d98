"""Two-factor authentication: required of ministry staff and admins, enrolment, codes, recovery codes."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_not_passed]


def current_code(device, offset=0):
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset
    )
    return f"{value:06d}"


def time_passes(device, seconds=60):
    """The wait that django-otp imposes after a wrong code has passed."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=seconds)
    )


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.fi", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("who", ["official", "reviewer", "decision_maker", "superuser"])
def test_ministry_staff_and_admins_are_sent_to_set_up_a_second_factor(
    client, people, ministry_people, superuser, who
):
    user = {**people, **ministry_people, "superuser": superuser}[who]
    client.force_login(user)
    response = client.get(reverse("applications:my-cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    assert client.get(response["Location"])["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_the_admin_is_behind_the_second_factor_too(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_municipality_staff_are_not_asked_and_have_no_enrolment_pages(client, people):
    client.force_login(people["lead"])
    assert client.get(reverse("applications:my-cases")).status_code == 200
    assert client.get(reverse("accounts:two-factor")).status_code == 404
    assert client.get(reverse("accounts:two-factor-setup")).status_code == 404


def test_public_pages_stay_open_before_the_second_factor(client, people):
    client.force_login(people["official"])
    assert client.get(reverse("grants:home")).status_code == 200
    assert client.get(reverse("grants:privacy")).status_code == 200


def test_enrolment_with_the_app_gives_ten_single_use_recovery_codes(client, people):
    official = people["official"]
    client.force_login(official)
    target = reverse("processing:calls")
    page = client.get(reverse("accounts:two-factor-setup"), {"next": target})
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and 'alt="QR code' in html
    device = TOTPDevice.objects.get(user=official, confirmed=False)

    wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000", "next": target})
    assert wrong.status_code == 200
    assert "The code is not valid" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    time_passes(device)
    done = client.post(reverse("accounts:two-factor-setup"), {"code": current_code(device), "next": target})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=official).count() == 10
    assert client.get(target).status_code == 200


def test_a_second_authenticator_cannot_be_added_with_the_password_alone(client, people):
    official = people["official"]
    enrolled(official)
    client.force_login(official)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    assert TOTPDevice.objects.filter(user=official).count() == 1


def test_signing_in_with_the_app_code_goes_where_the_user_was_going(client, people):
    official = people["official"]
    device = enrolled(official)
    client.force_login(official)
    target = reverse("processing:calls")
    response = client.get(target)
    verify_url = response["Location"]
    assert verify_url == f"{reverse('accounts:two-factor')}?next={target.replace('/', '%2F')}"

    wrong = client.post(verify_url, {"code": "123456", "next": target})
    assert "The code is not valid" in wrong.content.decode()
    assert client.get(target).status_code == 302

    time_passes(device)
    response = client.post(verify_url, {"code": current_code(device), "next": target})
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_a_foreign_next_address_is_ignored(client, people):
    official = people["official"]
    device = enrolled(official)
    client.force_login(official)
    response = client.post(
        reverse("accounts:two-factor"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/fi/start/"  # the user's own language


def test_a_recovery_code_works_once(people):
    official = people["official"]
    enrolled(official)
    from accounts.two_factor import new_recovery_codes

    codes = new_recovery_codes(official)
    first = Client()
    first.force_login(official)
    assert first.post(reverse("accounts:two-factor"), {"code": codes[0].upper()})["Location"]
    assert first.get(reverse("processing:calls")).status_code == 200

    second = Client()
    second.force_login(official)
    response = second.post(reverse("accounts:two-factor"), {"code": codes[0]})
    assert response.status_code == 200
    assert "The code is not valid" in response.content.decode()
    assert second.get(reverse("processing:calls")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, people):
    official = people["official"]
    device = enrolled(official)
    from accounts.two_factor import new_recovery_codes

    old = new_recovery_codes(official)
    client.force_login(official)
    client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    page = client.post(reverse("accounts:recovery-codes"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=official).values_list("token", flat=True)) == set(new)


def test_repeated_wrong_codes_are_throttled(client, people):
    official = people["official"]
    device = enrolled(official)
    client.force_login(official)
    client.post(reverse("accounts:two-factor"), {"code": "000000"})
    # Each wrong code doubles the wait (1 s, 2 s, 4 s …); a try within it is refused unchecked.
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("processing:calls")).status_code == 302


@pytest.mark.parametrize("code", ["", "   ", "x" * 40, "12345", "abc def", "١٢٣٤٥٦"])
def test_bad_codes_get_a_message_next_to_the_field(client, people, code):
    enrolled(people["official"])
    client.force_login(people["official"])
    response = client.post(reverse("accounts:two-factor"), {"code": code})
    assert response.status_code == 200
    assert 'id="id_code_error1"' in response.content.decode()


def test_the_full_sign_in_asks_for_the_code_after_the_password(client, people):
    official = people["official"]
    device = enrolled(official)
    response = client.post(
        reverse("accounts:login"), {"username": official.email, "password": "a-good-test-password"}
    )
    landing = client.get(response["Location"])
    assert landing["Location"].startswith(reverse("accounts:two-factor"))
    assert client.post(landing["Location"], {"code": current_code(device)}).status_code == 302
    assert client.get(reverse("processing:calls")).status_code == 200
    # Signing out ends the second factor with the session.
    client.post(reverse("accounts:logout"))
    client.force_login(official)
    assert client.get(reverse("processing:calls")).status_code == 302


def setup_key(client):
    html = client.get(reverse("accounts:two-factor-setup")).content.decode()
    return "".join(re.search(r'class="secret-key"><code>(.*?)</code>', html, re.S).group(1).split())


def test_each_session_enrolling_gets_a_key_of_its_own_and_only_the_confirmed_one_works(people):
    """Red-team finding 1: someone with only the password saw the same key that the real user then
    confirmed, and so held a working copy of their second factor."""
    official = people["official"]
    attacker, victim = Client(), Client()
    attacker.force_login(official)
    victim.force_login(official)
    attacker_key, victim_key = setup_key(attacker), setup_key(victim)
    assert attacker_key != victim_key
    assert setup_key(victim) == victim_key  # the same attempt keeps its key when the page is reloaded
    attackers_device = TOTPDevice.objects.get(pk=attacker.session[two_factor.ENROLLING])
    victims_device = TOTPDevice.objects.get(pk=victim.session[two_factor.ENROLLING])
    victim.post(reverse("accounts:two-factor-setup"), {"code": current_code(victims_device)})
    victims_device.refresh_from_db()
    assert victims_device.confirmed
    # The attacker's key is void: its device is gone, and a code from it passes nowhere.
    assert not TOTPDevice.objects.filter(pk=attackers_device.pk).exists()
    later = Client()
    later.force_login(official)
    attackers_code = totp(attackers_device.bin_key, step=attackers_device.step, t0=attackers_device.t0)
    response = later.post(reverse("accounts:two-factor"), {"code": f"{attackers_code:06d}"})
    assert response.status_code == 200 and "The code is not valid" in response.content.decode()
    assert later.get(reverse("processing:calls")).status_code == 302


@pytest.mark.parametrize(
    "value",
    ["foo", "processing:calls", "//evil.example", "javascript:alert(1)", "\\\\evil", "/fi/start/"],
)
def test_no_next_value_causes_a_server_error(client, people, value):
    """Validators' defect 2: `?next=foo` on the two-factor page was a 500 (taken for a view name)."""
    official = people["official"]
    device = enrolled(official)
    client.force_login(official)
    response = client.post(f"{reverse('accounts:two-factor')}?next={value}", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")
    assert client.get(f"{reverse('accounts:two-factor')}?next={value}").status_code == 302
