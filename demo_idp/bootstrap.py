"""Keys, demo accounts and the registered client of the demo identity provider (idempotent)."""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PASSWORD = "demo-password-2026"
CLIENT_ID = "grants-demo"
CLIENT_SECRET = "grants-demo-secret"  # a demo's: printed in the README on purpose
# (email, first name, last name, groups); "mfa" means the person used multi-factor authentication.
PEOPLE = [
    ("virkailija@example.fi", "Olli", "Official", ["grants-officials", "mfa"]),
    ("arvioija@example.fi", "Riikka", "Reviewer", ["grants-reviewers", "mfa"]),
    ("paattaja@example.fi", "Paavo", "Decision-maker", ["grants-decision-makers", "mfa"]),
    ("ilman-mfa@example.fi", "Iida", "Ilman-Mfa", ["grants-officials"]),
    ("ei-rooleja@example.fi", "Erkki", "Ei-Rooleja", ["mfa"]),
]
FAULTY_PEOPLE = [
    ("tampered@example.fi", "Tauno", "Tampered", ["grants-officials", "mfa"]),
    ("unsigned@example.fi", "Uuno", "Unsigned", ["grants-officials", "mfa"]),
    ("expired@example.fi", "Eero", "Expired", ["grants-officials", "mfa"]),
]


def key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """An RSA key and a self-signed certificate for it (ten years), made once."""
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"demo {name}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def accounts_and_client(site_url: str, faults: bool) -> None:
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    for email, first, last, groups in PEOPLE + (FAULTY_PEOPLE if faults else []):
        user, _ = User.objects.update_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
    Application.objects.filter(client_id=CLIENT_ID).delete()
    Application.objects.create(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        name="Kuntien digitalisaatiohankkeiden valtionavustukset (demo)",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{site_url}/sso/ministry/callback/",
        # The service's front page in each language, where its sign-out ends.
        post_logout_redirect_uris=" ".join(f"{site_url}/{language}/" for language in ("fi", "sv", "en")),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
