"""Two application nodes and two queue workers on one machine (tests/multinode/cluster.py), sharing only the
PostgreSQL database, Redis, S3-compatible object storage and the mail server, as in production (README
"Topology"). What one node does, the other sees at once; a job is done once, even when its worker dies.

Needs PostgreSQL and Debian's redis-server; skipped without redis-server (with that reason) except in CI,
which sets MULTINODE_REQUIRED."""

import os
import re
import shutil
import signal
import tempfile
from html.parser import HTMLParser

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from applications.models import Attachment, Decision
from mail.models import Message, MessageStatus
from mail.models import Worker as WorkerRow
from mail.outbox import queue
from tests.applications.test_attachments import SAMPLES
from tests.conftest import end_application_period, propose_award
from tests.factories import UserFactory
from tests.multinode.cluster import Cluster, start_redis, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.multinode, pytest.mark.django_db(transaction=True)]

PASSWORD = "Yhteinen-salasana-2026"


@pytest.fixture(scope="module")
def cluster(django_db_setup, s3_server):
    if not shutil.which("redis-server"):
        message = "the multi-node test needs Debian's redis-server (apt-get install redis-server); CI runs it"
        if os.environ.get("MULTINODE_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tempfile.mkdtemp(prefix="grants-redis-")  # short: a Unix socket's path has at most 107 bytes
    redis, path = start_redis(folder)
    nodes = Cluster(s3_server, path)
    try:
        yield nodes.start()
    finally:
        nodes.stop()
        redis.terminate()
        redis.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def fresh_mail(cluster):
    cluster.inbox.accepted.clear()
    cluster.inbox.release()
    for name in ("w1", "w2"):
        if not cluster.processes[name].alive():
            cluster.start_worker(name)


def path(name, *args, language="fi", **kwargs):
    with translation.override(language):
        return reverse(name, args=args, kwargs=kwargs or None)


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def with_password(user):
    """The production nodes hash with PBKDF2 (the tests' own settings use a fast hasher)."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def sign_in(browser, cluster, user, *, form_from, post_to):
    page = browser.get(cluster.url(form_from, path("accounts:login")))
    response = browser.post(
        cluster.url(post_to, path("accounts:login")),
        data={"csrfmiddlewaretoken": csrf_token(page), "username": user.email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]


def ministry_browser(user):
    """A browser signed in with the second factor passed, as the sign-in page leaves a ministry user."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, session.session_key, domain="127.0.0.1")
    return browser


class FormFields(HTMLParser):
    """The fields one form would submit as they stand (text, hidden, checked boxes, selected options)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def test_a_session_moves_between_the_nodes(cluster, people):
    lead = with_password(people["lead"])
    browser = requests.Session()
    sign_in(browser, cluster, lead, form_from="a", post_to="b")  # the form's token from a, accepted by b
    my_cases = path("applications:my-cases")
    for node in ("a", "b", "a", "b"):
        page = browser.get(cluster.url(node, my_cases), allow_redirects=False)
        assert page.status_code == 200, (node, page.status_code)
        assert lead.full_name in page.text
    # Signing out on one node signs out on both.
    page = browser.get(cluster.url("b", my_cases))
    browser.post(cluster.url("b", path("accounts:logout")), data={"csrfmiddlewaretoken": csrf_token(page)})
    assert browser.get(cluster.url("a", my_cases), allow_redirects=False).status_code == 302


def test_a_file_uploaded_through_one_node_is_downloaded_through_the_other(cluster, draft, people):
    lead = with_password(people["lead"])
    browser = requests.Session()
    sign_in(browser, cluster, lead, form_from="a", post_to="a")
    attachments = path("applications:attachments", pk=draft.pk)
    page = browser.get(cluster.url("a", attachments))
    uploaded = browser.post(
        cluster.url("a", attachments),
        data={"csrfmiddlewaretoken": csrf_token(page), "description": "Hankesuunnitelma"},
        files={"file": ("suunnitelma.pdf", SAMPLES["plan.pdf"], "application/pdf")},
        allow_redirects=False,
    )
    assert uploaded.status_code == 302, cluster.log("a")
    attachment = Attachment.objects.get(application=draft)
    assert cluster.s3.keys(cluster.bucket) == [attachment.file.name]

    download = browser.get(
        cluster.url("b", path("applications:attachment", pk=draft.pk, attachment_pk=attachment.pk))
    )
    assert download.status_code == 200, cluster.log("b")
    assert download.content == SAMPLES["plan.pdf"]
    # Nothing went through either node's disk.
    assert not [p for p in cluster.folder.glob("[ab]/media/**/*") if p.is_file()]


def test_a_correction_on_one_node_shows_on_the_others_results_page_at_once(cluster, published_2022):
    call = published_2022
    results = path("opendata:call-results", slug=call.slug)
    award = Decision.objects.filter(application__call=call, granted_amount__gt=0).select_related(
        "application__lead"
    )
    lead = award.order_by("pk").first().application.lead
    before = requests.get(cluster.url("b", results))
    assert before.status_code == 200 and lead.name_fi in before.text
    assert requests.get(cluster.url("b", results)).text == before.text  # now from the shared cache

    admin = UserFactory(email="yllapito@example.fi", is_staff=True, is_superuser=True)
    browser = ministry_browser(admin)
    change = cluster.url("a", path("admin:accounts_organisation_change", lead.pk))
    form = FormFields("organisation_form")
    form.feed(browser.get(change).text)
    corrected = f"{lead.name_fi} (korjattu)"
    fields = [(name, corrected if name == "name_fi" else value) for name, value in form.fields]
    saved = browser.post(change, data=[*fields, ("_save", "1")], allow_redirects=False)
    assert saved.status_code == 302, saved.text[:2000]

    for node in ("b", "a"):
        page = requests.get(cluster.url(node, results))
        assert corrected in page.text, node


def test_an_approved_decision_is_mailed_once_by_one_of_the_workers(
    cluster, submitted_case, people, ministry_people
):
    decision = propose_award(submitted_case, people["official"])
    end_application_period(submitted_case.call)
    browser = ministry_browser(ministry_people["decision_maker"])
    page = browser.get(cluster.url("b", path("processing:decisions", slug=submitted_case.call.slug)))
    assert page.status_code == 200, cluster.log("b")
    approved = browser.post(
        cluster.url("a", path("processing:approve", pk=decision.pk)),
        data={"csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
    )
    assert approved.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "approved"

    # The decision's mail, and the mail queued earlier in the case (invitations, submission): every message
    # reaches the mail server once, each by one of the two workers in one attempt.
    assert Message.objects.filter(event__startswith="decision-").exists()
    wait_for(
        lambda: not Message.objects.exclude(status=MessageStatus.SENT).exists(),
        timeout=30,
        what=f"the mail ({cluster.log('w1')} {cluster.log('w2')})",
    )
    messages = list(Message.objects.all())
    wait_for(lambda: len(cluster.inbox.accepted) >= len(messages), timeout=10, what="the mail server")
    assert sorted(cluster.inbox.message_ids()) == sorted(message.message_id for message in messages)
    assert all(message.attempts == 1 for message in messages)
    jobs = {}
    for job in DBTaskResult.objects.all():
        jobs.setdefault(job.args_kwargs["args"][0], []).append(job)
    assert sorted(jobs) == sorted(message.pk for message in messages)
    assert all(
        len(runs) == 1 and runs[0].status == "SUCCESSFUL" and len(runs[0].worker_ids) == 1
        for runs in jobs.values()
    ), [(runs[0].status, runs[0].worker_ids, len(runs)) for runs in jobs.values()]


def test_two_workers_share_a_burst_of_mail_and_send_each_message_once(cluster):
    cluster.inbox.delay = 0.1  # 40 messages take one worker 4 s: the other one comes to help
    try:
        with transaction.atomic():
            messages = [
                queue(
                    event="test",
                    to=f"kirjaamo{number}@espoo.example.fi",
                    language="fi",
                    template="reminder",
                    context={"message": f"Muistutus {number}"},
                )
                for number in range(40)
            ]
        wait_for(
            lambda: not Message.objects.exclude(status=MessageStatus.SENT).exists(),
            timeout=60,
            what=f"the mail ({cluster.log('w1')} {cluster.log('w2')})",
        )
    finally:
        cluster.inbox.delay = 0.0
    assert sorted(cluster.inbox.message_ids()) == sorted(message.message_id for message in messages)
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    jobs = list(DBTaskResult.objects.all())
    assert sorted(job.args_kwargs["args"][0] for job in jobs) == sorted(message.pk for message in messages)
    assert all(job.status == "SUCCESSFUL" and len(job.worker_ids) == 1 for job in jobs)
    assert len({job.worker_ids[0] for job in jobs}) == 2  # both workers took part


def test_a_worker_killed_mid_job_leaves_the_job_to_the_other(cluster, people):
    cluster.inbox.hold()  # the mail server will keep the first delivery waiting for its answer
    with transaction.atomic():
        message = queue(
            event="test",
            to="kirjaamo@espoo.example.fi",
            language="fi",
            template="reminder",
            context={"message": "Muistutus"},
        )
    wait_for(cluster.inbox.held.is_set, timeout=20, what="a worker to start delivering")
    job = DBTaskResult.objects.get(status="RUNNING")
    claimer = job.worker_ids[-1]
    # Its heartbeat row (the previous test's clean-up empties the table; a worker writes it again at once).
    pid = wait_for(
        lambda: WorkerRow.objects.filter(worker_id=claimer).values_list("pid", flat=True).first(),
        timeout=10,
        what="the worker's heartbeat",
    )
    killed = next(name for name, process in cluster.processes.items() if process.popen.pid == pid)
    os.kill(pid, signal.SIGKILL)  # mid-job: its mail server is still to answer
    cluster.processes[killed].popen.wait()
    cluster.inbox.release()

    wait_for(
        lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists(),
        timeout=90,
        what="the other worker to take the job over",
    )
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert job.worker_ids[0] == claimer and len(job.worker_ids) == 2 and job.worker_ids[1] != claimer
    assert cluster.inbox.message_ids() == [Message.objects.get(pk=message.pk).message_id]
    assert Message.objects.get(pk=message.pk).attempts == 1  # the killed attempt was rolled back with it
