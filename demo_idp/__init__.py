"""A local stand-in for the state's identity services, for the demo (`make run`) and the tests.

Two real protocol implementations in one small Django site on loopback: an OpenID Connect provider
(django-oauth-toolkit with OIDC enabled) standing in for the ministry's provider, and a SAML 2.0 identity
provider (pysaml2, signing and encrypting with xmlsec1) standing in for Suomi.fi e-Identification, whose
"identification" is choosing a test person, as in Suomi.fi's own test environment. Never for production:
the demo accounts' password is public. Start it with `python -m demo_idp --help`."""
