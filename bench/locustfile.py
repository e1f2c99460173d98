"""Load scenarios for bench/run.py (locust, headless). Each class is one scenario; run.py picks it by name.

Signed-in scenarios start from sessions that bench/prepare.py made as the sign-in form and the second
factor would, so that the measured window holds only the scenario's own requests; so do the deadline
rush's leads, who are at work on their drafts before the deadline. SignIn measures the sign-in form alone."""

import itertools
import json
import os
import re
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, HttpUser, constant, task

FIXTURE = json.loads((Path(__file__).resolve().parent / "out" / "fixture.json").read_text())
OFFICIAL_SESSIONS = itertools.cycle(FIXTURE["official_sessions"])
RUSH = enumerate(FIXTURE["rush"])
# The rush's arrivals: draft n is taken up at n × RUSH_SECONDS / drafts after the first user starts.
RUSH_SECONDS = float(os.environ.get("BENCH_RUSH_SECONDS", "60"))
RUSH_START = []
CASES = itertools.cycle(FIXTURE["cases"])
# Several application nodes (BENCH_NODES): each simulated user is sent to the next node in turn, as a load
# balancer without sticky sessions spreads new visitors, with no proxy hop of its own in the figures.
NODES = itertools.cycle([host for host in os.environ.get("BENCH_HOSTS", "").split(",") if host])


class OnTheNextNode:
    def __init__(self, *args, **kwargs):
        node = next(NODES, None)
        if node:
            self.host = node
        super().__init__(*args, **kwargs)


class Visitor(OnTheNextNode, HttpUser):
    abstract = True
    wait_time = constant(0)

    def post_form(self, path, data, name=None, catch=False):
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        return self.client.post(path, data, name=name or path, allow_redirects=False, catch_response=catch)


class Official(Visitor):
    """An official already signed in with the second factor (a session prepared by bench/prepare.py)."""

    abstract = True

    def on_start(self):
        self.client.cookies.set("sessionid", next(OFFICIAL_SESSIONS))


class Anonymous(OnTheNextNode, FastHttpUser):
    """The anonymous scenarios use locust's lighter HTTP client (geventhttpclient), both of them, so that the
    load generator takes as little as it can of the two cores that it shares with the server; it sends
    Accept-Encoding: gzip, deflate, br and decompresses what comes back, as a browser does."""

    abstract = True
    wait_time = constant(0)


class Baseline(Anonymous):
    @task
    def healthz(self):
        self.client.get("/healthz", name="baseline")


class PublicResults(Anonymous):
    path = f"/fi/calls/{FIXTURE['results_slug']}/results/"

    def on_start(self):
        # Once per user, outside the measured window: the compressed page is the whole results page.
        response = self.client.get(self.path, name="results: check")
        assert response.headers.get("Content-Encoding") == "gzip", "results page not compressed"
        assert b"</html>" in response.content, "results page incomplete"

    @task
    def results(self):
        # Read whole but not decompressed: the server's work is the same, and decompressing 300 kB is the
        # browser's work on its own machine, not something to take from the two cores the server has here
        # (PublicResultsDecompressed shows what decompressing here costs).
        with self.client.get(self.path, name="results", stream=True) as response:
            for _chunk in response.iter_content(65536, decode_content=False):
                pass


class PublicResultsDecompressed(PublicResults):
    @task
    def results(self):
        self.client.get(self.path, name="results, decompressed")


class WorklistUnfiltered(Official):
    @task
    def worklist(self):
        self.client.get(f"/fi/processing/calls/{FIXTURE['worklist_slug']}/", name="worklist")


class WorklistFiltered(Official):
    @task
    def worklist(self):
        query = f"status=awarded&emphasis_area={FIXTURE['emphasis_area']}&ordering=-amount"
        self.client.get(f"/fi/processing/calls/{FIXTURE['worklist_slug']}/?{query}", name="worklist-filtered")


class WorklistSearch(Official):
    @task
    def worklist(self):
        self.client.get(
            f"/fi/processing/calls/{FIXTURE['worklist_slug']}/?q={FIXTURE['search']}", name="worklist-search"
        )


class WorklistDeepPage(Official):
    @task
    def worklist(self):
        self.client.get(f"/fi/processing/calls/{FIXTURE['worklist_slug']}/?page=40", name="worklist-page-40")


class CasePage(Official):
    @task
    def case(self):
        self.client.get(f"/fi/processing/cases/{next(CASES)}/", name="case")


class MyCases(Visitor):
    def on_start(self):
        self.client.cookies.set("sessionid", FIXTURE["staff_session"])

    @task
    def my_cases(self):
        self.client.get("/fi/applications/", name="my-cases")


class Export360Giving(Visitor):
    @task
    def export(self):
        with self.client.get("/open-data/360giving.json", name="360giving", stream=True) as response:
            for _chunk in response.iter_content(65536):
                pass


DRAFT = {
    "summary": "Yhteinen hanke.",
    "objectives": "Tavoitteet.",
    "actions": "Toimenpiteet.",
    "schedule": "Kaksi vuotta.",
    "expected_results": "Tulokset.",
    "dissemination": "Levitys.",
    "requested_amount": "85000",
    "own_financing": "15000",
    "contact_name": "Yhteyshenkilö",
    "contact_email": "rush@example.fi",
    "budget-TOTAL_FORMS": "1",
    "budget-INITIAL_FORMS": "0",
    "budget-MIN_NUM_FORMS": "0",
    "budget-MAX_NUM_FORMS": "1000",
    "budget-0-category": "personnel",
    "budget-0-description": "Projektipäällikkö",
    "budget-0-amount": "100000",
    "save": "",
}


class DeadlineRush(Visitor):
    """The last minute before a deadline: run.py starts one user per ready draft at once, and each waits for
    its own moment, so that the drafts are taken up at an even pace over the minute (300 drafts: one every
    0.2 s). Each user is already signed in as the draft's lead; it opens the draft, saves it again and
    submits it, once."""

    def on_start(self):
        try:
            number, (self.session_key, self.pk) = next(RUSH)
        except StopIteration:
            self.stop()
            return
        if not RUSH_START:
            RUSH_START.append(time.monotonic())
        moment = RUSH_START[0] + number * RUSH_SECONDS / len(FIXTURE["rush"])
        gevent.sleep(max(0.0, moment - time.monotonic()))
        self.client.cookies.set("sessionid", self.session_key)

    @task
    def rush(self):
        pk = self.pk
        page = self.client.get(f"/fi/applications/{pk}/edit/", name="rush: open draft")
        values = dict(
            re.findall(
                r'name="(project_name|emphasis_area|start_date|end_date)"[^>]*?value="([^"]*)"', page.text
            )
        )
        checked = re.search(r'name="emphasis_area" value="(\d+)"[^>]*checked', page.text)
        data = {
            **DRAFT,
            **values,
            "emphasis_area": checked.group(1) if checked else values.get("emphasis_area", ""),
        }
        with self.post_form(f"/fi/applications/{pk}/edit/", data, "rush: save draft", catch=True) as saved:
            if saved.status_code != 302:
                saved.failure(f"save {pk}: {saved.status_code}")
        with self.post_form(
            f"/fi/applications/{pk}/submit/",
            {"declaration": "on", "electronic_notification": "on"},
            "rush: submit",
            catch=True,
        ) as submitted:
            # Success redirects to the case; a refused submission shows the page again.
            if submitted.status_code != 302:
                submitted.failure(f"submit {pk}: {submitted.status_code}")
        self.stop()


class SignIn(Visitor):
    """Signing in through the form, again and again: what password hashing (Django's PBKDF2) costs here."""

    @task
    def sign_in_once(self):
        self.client.cookies.clear()
        self.client.get("/fi/accounts/login/", name="sign-in page")
        with self.post_form(
            "/fi/accounts/login/",
            {"username": FIXTURE["staff"], "password": FIXTURE["password"]},
            "sign-in",
            catch=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in: {response.status_code}")
