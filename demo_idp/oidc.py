"""The demo ministry provider's claims: groups, and whether the person used multi-factor authentication.

A person in the group "mfa" signed in with multi-factor authentication (amr ["pwd", "mfa"], as RFC 8176
names it); anyone else with a password only (amr ["pwd"]). With DEMO_IDP_FAULTS, the accounts named in
`faults.TOKEN_FAULTS` get an ID token broken in the way their address says."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import faults

MFA_GROUP = "mfa"


class DemoValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "groups": "openid",
        "amr": "openid",
        "sid": "openid",
    }

    def get_additional_claims(self, request):
        user = request.user
        groups = sorted(user.groups.values_list("name", flat=True))
        return {
            "email": user.email,
            "email_verified": True,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": [group for group in groups if group != MFA_GROUP],
            "amr": ["pwd", "mfa"] if MFA_GROUP in groups else ["pwd"],
        }

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if settings.FAULTS:
            return faults.break_id_token(serialized, request.user.email, request.client.jwk_key)
        return serialized
