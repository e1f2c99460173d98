"""Load scenarios for bench/run.py (locust, headless). Each class is one scenario; run.py picks it by name.

Signed-in scenarios start from sessions that bench/prepare.py made as the sign-in form and the second
factor would, so that the measured window holds only the scenario's own requests; so do the deadline
rush's leads, who are at work on their drafts before the deadline. SignIn measures the sign-in form alone."""

import itertools
import json
import re
from pathlib import Path

from locust import HttpUser, constant, task

FIXTURE = json.loads((Path(__file__).resolve().parent / "out" / "fixture.json").read_text())
OFFICIAL_SESSIONS = itertools.cycle(FIXTURE["official_sessions"])
RUSH = iter(FIXTURE["rush"])
CASES = itertools.cycle(FIXTURE["cases"])


class Visitor(HttpUser):
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


class Baseline(Visitor):
    @task
    def healthz(self):
        self.client.get("/healthz", name="baseline")


class PublicResults(Visitor):
    @task
    def results(self):
        self.client.get(f"/fi/calls/{FIXTURE['results_slug']}/results/", name="results")


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
    """The last minute before a deadline: BENCH_RUSH users arrive at an even pace over the minute (run.py sets
    the spawn rate), each already signed in as the lead of a ready draft; each opens the draft, saves it
    again and submits it, once."""

    def on_start(self):
        try:
            self.session_key, self.pk = next(RUSH)
        except StopIteration:
            self.stop()
            return
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
        with self.post_form(f"/fi/applications/{pk}/submit/", {}, "rush: submit", catch=True) as submitted:
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
