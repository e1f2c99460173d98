"""Tests only (DEMO_IDP_FAULTS=1): answers broken on purpose, to show that the service refuses them."""

import base64
import json
import time

from jwcrypto import jwt

TOKEN_FAULTS = {
    "tampered@example.fi": "tampered",
    "unsigned@example.fi": "unsigned",
    "expired@example.fi": "expired",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(serialized: str) -> dict:
    payload = serialized.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def break_id_token(serialized: str, email: str, key) -> str:
    fault = TOKEN_FAULTS.get(email)
    header, _payload, signature = serialized.split(".")
    claims = _claims(serialized)
    if fault == "tampered":
        # The signature stays; the claims change (a person giving themselves the decision-makers' group).
        claims["groups"] = [*claims.get("groups", []), "grants-decision-makers"]
        return ".".join((header, _b64(json.dumps(claims).encode()), signature))
    if fault == "unsigned":
        unsigned = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return ".".join((unsigned, _b64(json.dumps(claims).encode()), ""))
    if fault == "expired":
        now = int(time.time())
        claims.update(iat=now - 3600, exp=now - 1800, auth_time=now - 3600)
        token = jwt.JWT(header=json.loads(base64.urlsafe_b64decode(header + "==")), claims=claims)
        token.make_signed_token(key)
        return token.serialize()
    return serialized
