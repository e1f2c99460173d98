"""Queue workers on several nodes (`manage.py worker`): django-tasks-db's worker, which claims each job under
a row lock so that no two workers take the same one, plus what it lacks for a worker that dies mid-job.

A claimed job is marked running with its worker's id; if that worker is killed (a node lost, the OOM killer,
`kill -9`), the job would stay "running" for ever and its mail would never go. So every worker keeps a
heartbeat row (mail.models.Worker) fresh from a thread of its own, and the same thread hands the jobs of
workers it has not heard from for WORKER_LOST_AFTER_SECONDS back to the queue, where the next free worker
takes them. A job may therefore run twice; the jobs are written for that (mail.tasks.deliver locks its
message and does nothing if it was sent already), so it finishes once."""

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Worker

logger = logging.getLogger("mail.workers")


def lost_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)


def beat(worker_id: str) -> None:
    """This worker is alive (its row is made on the first beat)."""
    Worker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": timezone.now()},
    )


def recover_lost_jobs() -> list:
    """Hands the running jobs of dead workers back to the queue; returns their ids. A worker is dead when its
    heartbeat is older than WORKER_LOST_AFTER_SECONDS, or, for a worker that keeps none (`--batch`), when
    its job started longer ago than that."""
    deadline = timezone.now() - lost_after()
    alive = set(Worker.objects.filter(seen_at__gte=deadline).values_list("worker_id", flat=True))
    known = set(Worker.objects.values_list("worker_id", flat=True))
    recovered = []
    for job in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at"):
        claimer = job.worker_ids[-1] if job.worker_ids else ""
        if claimer in alive:
            continue
        if claimer not in known and job.started_at and job.started_at >= deadline:
            continue
        # Only if it is still the same claim (a new claim sets a new start), in one UPDATE.
        handed_back = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        ).update(status=TaskResultStatus.READY)
        if handed_back:
            recovered.append(job.pk)
            logger.warning("job %s of lost worker %s handed back to the queue", job.pk, claimer or "?")
    # Their jobs are back in the queue: the dead workers' rows go (a worker that was only slow makes its row
    # again on its next beat).
    Worker.objects.filter(seen_at__lt=deadline).delete()
    return recovered


class Heartbeat(threading.Thread):
    """Beats and recovers every WORKER_HEARTBEAT_SECONDS until stopped, on its own database connection."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker_id)
                    recover_lost_jobs()
                except DatabaseError:
                    # The database is away for a moment; the worker's own loop will say so too.
                    logger.exception("worker %s could not reach the database", self.worker_id)
                self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self, *, forget: bool) -> None:
        """Stops beating; `forget` removes the row (a clean exit, with no job left running)."""
        self.stopped.set()
        self.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)
        if forget:
            Worker.objects.filter(worker_id=self.worker_id).delete()
