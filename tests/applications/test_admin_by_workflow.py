"""The admin and the workflow: an administrator reads a case object's state but never edits it there, and
adds none of the objects that the workflow brings into being (each with its journal row)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from applications.workflow import MACHINES
from grants.models import Call
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A call added in the admin starts as a draft (grants/admin.py), which only the ministry sees: its
# publication and results go through the workflow on the officials' pages.
MAY_ADD = {Call}


def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return request


@pytest.mark.parametrize("model", list(MACHINES), ids=lambda model: model.__name__)
def test_no_state_field_is_editable_and_no_workflow_object_is_added_by_hand(model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        pytest.skip(f"{model.__name__} has no admin")  # none today; a new one is checked here
    request = superuser_request()
    machine = MACHINES[model]
    for obj in (None, model()):
        may_edit = (
            model_admin.has_add_permission(request)
            if obj is None
            else model_admin.has_change_permission(request, obj)
        )
        if not may_edit:
            continue  # a read-only page (ReadOnlyAdmin): nothing on it is editable
        form_fields = set(model_admin.get_form(request, obj).base_fields)
        assert not form_fields & set(machine.state_fields), (
            model.__name__,
            form_fields & set(machine.state_fields),
        )
    if machine.creates and model not in MAY_ADD:
        assert not model_admin.has_add_permission(request), f"{model.__name__} can be added by hand"
