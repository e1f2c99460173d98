"""Queue workers on several nodes (mail/workers.py): a job claimed by a worker that died goes back to the
queue once the worker has been silent for WORKER_LOST_AFTER_SECONDS, and only then; the next worker finishes
it once. The same with real processes and a real kill: tests/multinode/test_two_nodes.py."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mail.models import Message, MessageStatus, Worker
from mail.outbox import queue
from mail.workers import beat, recover_lost_jobs
from tests.conftest import deliver_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lost_after_a_minute(settings):
    settings.WORKER_LOST_AFTER_SECONDS = 60


def claimed_job(worker_id, *, started_seconds_ago=5):
    """A mail job as a worker leaves it when it claims it: running, with the worker's id."""
    message = queue(
        event="test", to="a@example.fi", language="fi", template="reminder", context={"message": "Hei"}
    )
    job = DBTaskResult.objects.get(args_kwargs__args=[message.pk])
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING",
        worker_ids=[worker_id],
        started_at=timezone.now() - dt.timedelta(seconds=started_seconds_ago),
    )
    return message, job


def seen(worker_id, seconds_ago):
    beat(worker_id)
    Worker.objects.filter(worker_id=worker_id).update(
        seen_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
    )


def status(job):
    job.refresh_from_db()
    return job.status


def test_the_job_of_a_worker_heard_from_lately_is_left_alone():
    seen("alive", seconds_ago=59)
    _, job = claimed_job("alive", started_seconds_ago=600)
    assert recover_lost_jobs() == []
    assert status(job) == "RUNNING"
    assert Worker.objects.filter(worker_id="alive").exists()


def test_the_job_of_a_silent_worker_goes_back_to_the_queue_and_is_sent_once():
    seen("dead", seconds_ago=61)
    message, job = claimed_job("dead")
    assert recover_lost_jobs() == [job.pk]
    assert status(job) == "READY"
    # The dead worker's row goes with it.
    assert not Worker.objects.filter(worker_id="dead").exists()

    outbox = deliver_mail()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert [mail.to for mail in outbox] == [["a@example.fi"]]
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.worker_ids[0] == "dead" and len(job.worker_ids) == 2


def test_a_batch_worker_without_heartbeat_has_its_job_back_only_when_the_job_is_old():
    _, recent = claimed_job("batch-1", started_seconds_ago=30)
    _, old = claimed_job("batch-2", started_seconds_ago=61)
    assert recover_lost_jobs() == [old.pk]
    assert (status(recent), status(old)) == ("RUNNING", "READY")


def test_a_job_claimed_again_meanwhile_is_not_handed_back():
    """What counts is the job's last claim: a job that a live worker took over since stays its own."""
    seen("dead", seconds_ago=61)
    _, job = claimed_job("dead")
    DBTaskResult.objects.filter(pk=job.pk).update(worker_ids=["dead", "new"], started_at=timezone.now())
    seen("new", seconds_ago=0)
    assert recover_lost_jobs() == []
    assert status(job) == "RUNNING"


def test_a_finished_message_is_not_sent_again_when_its_job_runs_twice():
    """Recovery may run a job twice (a worker that was only slow); the message goes once."""
    message, _ = claimed_job("slow")
    outbox = deliver_mail()  # the READY copy: nothing, the job is running
    assert outbox == []
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, attempts=1, sent_at=timezone.now()
    )
    DBTaskResult.objects.update(status="READY")
    assert deliver_mail() == []
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_batch_run_keeps_no_heartbeat():
    deliver_mail()
    assert not Worker.objects.exists()
