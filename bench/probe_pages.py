"""The cost probe's measured process (run by bench/probe.py under valgrind's callgrind; see bench/README.md).

In this one process, with Django's test client and the production settings: each page is requested until
warm (its caches filled, its code imported and compiled), its queries and bytes are read, and then
PROBE_REQUESTS requests of it are counted by callgrind, which counts the instructions that this process
executes (not its time, so that a busy machine does not change the figure; the database server's own work
is in the queries column, not in the count). Writes {page: {"queries", "bytes", "url"}} as JSON to the file
named by the first argument; callgrind writes one dump per page.

It uses only what every commit since 8daacf6 has (the models and the pages' paths), so that the same probe
measures an older checkout too: run it with that checkout on sys.path (bench/probe.py --checkout)."""

import ctypes
import json
import os
import sys

sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Membership, Organisation, Role, User  # noqa: E402
from applications.models import Application, Participant  # noqa: E402
from grants.models import Call  # noqa: E402

REQUESTS = int(os.environ.get("PROBE_REQUESTS", "3"))
WARM_UP = 3
MARKS = ctypes.CDLL(os.environ["PROBE_MARKS"])
MARKS.probe_dump.argtypes = [ctypes.c_char_p]


def official_client():
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ministry = Organisation.objects.get(kind="ministry")
    user, created = User.objects.get_or_create(
        email="probe-official@example.fi", defaults={"full_name": "Probe"}
    )
    if created:
        Membership.objects.create(user=user, organisation=ministry, role=Role.OFFICIAL)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="probe", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def staff_client():
    """Staff of the municipality that takes part in the most generated applications."""
    busiest = (
        Participant.objects.filter(application__call__slug__startswith="gen-")
        .values("organisation__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__code")
        .first()
    )
    client = Client()
    client.force_login(User.objects.get(email=f"gen-staff-{busiest['organisation__code']}@example.fi"))
    return client


def pages():
    """(name, client, url): the main page types, on the generated call with the most applications."""
    call = (
        Call.objects.filter(slug__startswith="gen-", results_published_on__isnull=False)
        .annotate(n=Count("applications"))
        .order_by("-n", "-closes_at", "pk")
        .first()
    )
    case = (
        Application.objects.filter(call=call, status="awarded")
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    area = call.emphasis_areas.order_by("number").first().pk
    official, staff, anonymous = official_client(), staff_client(), Client()
    worklist = f"/fi/processing/calls/{call.slug}/"
    return [
        # The privacy page has nothing of its own: signed in, it is the frame every page pays.
        ("signed-in frame (privacy page)", official, "/fi/privacy/"),
        ("worklist", official, worklist),
        (
            "worklist, filtered and sorted",
            official,
            f"{worklist}?status=awarded&emphasis_area={area}&ordering=-amount",
        ),
        ("worklist, searched", official, f"{worklist}?q=tiedonhallinta"),
        ("worklist, page 40", official, f"{worklist}?page=40"),
        ("case page", official, f"/fi/processing/cases/{case}/"),
        ("My cases", staff, "/fi/applications/"),
        ("desk (My tasks)", official, "/fi/processing/tasks/"),
        ("results page", anonymous, f"/fi/calls/{call.slug}/results/"),
        ("API: awards", anonymous, "/api/v1/awards/"),
    ]


def get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def main(out):
    measured = {}
    only = [name for name in os.environ.get("PROBE_PAGES", "").split(",") if name]
    chosen = [page for page in pages() if not only or page[0] in only]
    for name, client, url in chosen:
        for _ in range(WARM_UP):
            status, _body = get(client, url)
        with CaptureQueriesContext(connection) as queries:
            status, body = get(client, url)
        measured[name] = {"url": url, "status": status, "queries": len(queries), "bytes": len(body)}
    MARKS.probe_start()
    for name, client, url in chosen:
        if measured[name]["status"] != 200:
            continue  # a page this checkout does not have (the desk before it existed)
        MARKS.probe_zero()
        MARKS.probe_toggle()
        for _ in range(REQUESTS):
            get(client, url)
        MARKS.probe_toggle()
        MARKS.probe_dump(name.encode())
    with open(out, "w") as file:
        json.dump({"requests": REQUESTS, "pages": measured}, file)


if __name__ == "__main__":
    main(sys.argv[1])
