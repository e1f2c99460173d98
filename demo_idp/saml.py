"""The demo Suomi.fi: a SAML 2.0 identity provider made with pysaml2.

It checks the signature of the service's authentication request (redirect binding) against the service's
metadata, lets the person choose a test person (as Suomi.fi's test environment does), and answers with the
Suomi.fi attributes in an assertion that is signed with the provider's key and encrypted to the service's
key. Logout requests are answered too. With DEMO_IDP_FAULTS, the person page can break the answer."""

import base64
import shutil
from functools import lru_cache

import saml2
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from saml2.attribute_converter import AttributeConverter
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server

PERSONAL_IDENTITY_CODE = "urn:oid:1.2.246.21"
PENDING = "saml_pending_request"
FAULTS = [
    ("", "None: a correct answer"),
    ("tampered", "Tampered: changed after signing"),
    ("unsigned", "Unsigned"),
    ("unencrypted", "Signed but not encrypted"),
    ("expired", "Expired"),
]


def idp_settings(lifetime_minutes=5) -> dict:
    base = settings.BASE_URL
    keys = {"key_file": str(settings.DIR / "saml.key"), "cert_file": str(settings.DIR / "saml.crt")}
    return {
        "entityid": f"{base}/saml/metadata/",
        "xmlsec_binary": shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "idp": {
                "name": "Demo Suomi.fi",
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/saml/sso/redirect/", saml2.BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(f"{base}/saml/slo/redirect/", saml2.BINDING_HTTP_REDIRECT)],
                },
                "want_authn_requests_signed": True,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": lifetime_minutes},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "metadata": {"remote": [{"url": f"{settings.SITE_URL}/saml2/metadata/"}]},
        **keys,
        "encryption_keypairs": [keys],
    }


def _converter():
    converter = AttributeConverter(NAME_FORMAT_URI)
    converter.from_dict(
        {
            "identifier": NAME_FORMAT_URI,
            "fro": {PERSONAL_IDENTITY_CODE: "nationalIdentificationNumber"},
            "to": {"nationalIdentificationNumber": PERSONAL_IDENTITY_CODE},
        }
    )
    return converter


@lru_cache(maxsize=2)
def server(lifetime_minutes=5) -> Server:
    config = IdPConfig()
    config.load(idp_settings(lifetime_minutes))
    config.attribute_converters.append(_converter())
    return Server(config=config)


@require_GET
def metadata(request):
    config = IdPConfig()
    config.load({**idp_settings(), "metadata": {}})
    return HttpResponse(str(entity_descriptor(config)).encode(), content_type="text/xml; charset=utf-8")


@require_GET
def single_sign_on(request):
    """The service's signed authentication request (redirect binding)."""
    try:
        parsed = server().parse_authn_request(
            request.GET["SAMLRequest"],
            saml2.BINDING_HTTP_REDIRECT,
            relay_state=request.GET.get("RelayState"),
            sigalg=request.GET.get("SigAlg"),
            signature=request.GET.get("Signature"),
        )
    except Exception as error:  # pysaml2 raises many kinds; the page only needs to say no
        return HttpResponseBadRequest(f"The authentication request was refused: {type(error).__name__}")
    if parsed is None:
        return HttpResponseBadRequest("The authentication request was refused.")
    message = parsed.message
    request.session[PENDING] = {
        "id": message.id,
        "issuer": message.issuer.text,
        "acs": message.assertion_consumer_service_url,
        "relay_state": request.GET.get("RelayState", ""),
    }
    return redirect("saml-person")


def choose_person(request):
    pending = request.session.get(PENDING)
    if pending is None:
        return HttpResponseBadRequest("No authentication request is waiting.")
    return render(request, "demo_idp/choose_person.html", {"faults": FAULTS if settings.FAULTS else []})


@require_POST
def answer(request):
    """The chosen test person's answer, signed and encrypted, posted back by the person's browser."""
    pending = request.session.pop(PENDING, None)
    if pending is None:
        return HttpResponseBadRequest("No authentication request is waiting.")
    given, surname = request.POST.get("given_name", "").strip(), request.POST.get("surname", "").strip()
    identity = {
        "nationalIdentificationNumber": request.POST.get("personal_identity_code", "").strip(),
        "givenName": given,
        "sn": surname,
        "displayName": f"{given} {surname}".strip(),
        "cn": f"{surname} {given}".strip(),
    }
    fault = request.POST.get("fault", "") if settings.FAULTS else ""
    idp = server(-10 if fault == "expired" else 5)
    response = idp.create_authn_response(
        identity,
        in_response_to=pending["id"],
        destination=pending["acs"],
        sp_entity_id=pending["issuer"],
        userid=identity["nationalIdentificationNumber"],
        name_id_policy=None,
        authn={
            "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
            "authn_auth": settings.BASE_URL,
        },
        sign_assertion=fault != "unsigned",
        sign_response=fault == "tampered",
        encrypt_assertion=fault != "unencrypted",
    )
    xml = str(response)
    if fault == "tampered":
        # After signing: the answer now says it was issued a second later, which its signature does not cover.
        instant = xml.split('IssueInstant="', 1)[1].split('"', 1)[0]
        xml = xml.replace(
            f'IssueInstant="{instant}"',
            f'IssueInstant="{instant[:-2]}{(int(instant[-3:-1]) + 1) % 60:02d}Z"',
            1,
        )
    context = {
        "acs": pending["acs"],
        "saml_response": base64.b64encode(xml.encode()).decode(),
        "relay_state": pending["relay_state"],
        "name": identity["displayName"],
    }
    return render(request, "demo_idp/post.html", context)


@require_GET
def single_logout(request):
    """The service's logout request: the session here ends and the service is answered."""
    try:
        parsed = server().parse_logout_request(
            request.GET["SAMLRequest"],
            saml2.BINDING_HTTP_REDIRECT,
            relay_state=request.GET.get("RelayState"),
            sigalg=request.GET.get("SigAlg"),
            signature=request.GET.get("Signature"),
        )
    except Exception as error:  # as above
        return HttpResponseBadRequest(f"The logout request was refused: {type(error).__name__}")
    request.session.flush()
    response = server().create_logout_response(parsed.message, [saml2.BINDING_HTTP_REDIRECT])
    http_info = server().apply_binding(
        saml2.BINDING_HTTP_REDIRECT,
        str(response),
        destination=response.destination,
        relay_state=request.GET.get("RelayState", ""),
        response=True,
        sign=True,
    )
    location = dict(http_info["headers"])["Location"]
    return redirect(location)
