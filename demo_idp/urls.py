from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import saml

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="demo_idp/login.html"), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("saml/metadata/", saml.metadata, name="saml-metadata"),
    path("saml/sso/redirect/", saml.single_sign_on, name="saml-sso"),
    path("saml/sso/person/", saml.choose_person, name="saml-person"),
    path("saml/sso/answer/", saml.answer, name="saml-answer"),
    path("saml/slo/redirect/", saml.single_logout, name="saml-slo"),
]
