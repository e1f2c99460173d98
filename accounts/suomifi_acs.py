"""The Suomi.fi assertion consumer: djangosaml2's, requiring an encrypted assertion, writing each refusal
to the security log with the reason and showing the person a page that says what to do. Imported at the
endpoint's first request (accounts.sso_urls): djangosaml2's views load pysaml2's XML schemas."""

import base64
import binascii
import logging
from contextlib import suppress

from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render
from djangosaml2.views import AssertionConsumerServiceView
from saml2 import samlp

from .models import IdentityKind
from .security import client_address
from .suomifi import SIGN_IN_METHOD, refuse

log = logging.getLogger("security")

# Refusals of a person (403) rather than of a message that failed its checks (400).
PERSON_REFUSALS = {"no_invitation", "account_not_linkable", "inactive", "attributes"}


class SuomiFiAcsView(AssertionConsumerServiceView):
    """djangosaml2's assertion consumer, requiring an encrypted assertion and writing each refusal to the
    security log with the reason, and showing the person a page that says what to do."""

    def custom_validation(self, response):
        with suppress(binascii.Error, ValueError):
            original = samlp.response_from_string(base64.b64decode(self.request.POST["SAMLResponse"]))
            if original is not None and original.encrypted_assertion and not original.assertion:
                return
        refuse(self.request, "not_encrypted")
        raise SuspiciousOperation("The assertion was not encrypted.")

    def post_login_hook(self, request, user, session_info):
        request.session[SIGN_IN_METHOD] = IdentityKind.SUOMI_FI.value
        log.info("suomi.fi sign-in user=%s address=%s", user.pk, client_address(request))

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        reason = getattr(request, "sign_in_refusal", None) or "invalid_response"
        log.warning(
            "suomi.fi sign-in refused reason=%s error=%s address=%s",
            reason,
            type(exception).__name__ if exception is not None else "",
            client_address(request),
        )
        return render(
            request,
            "accounts/sign_in_refused.html",
            {"service": IdentityKind.SUOMI_FI, "reason": reason},
            status=403 if reason in PERSON_REFUSALS else 400,
        )
