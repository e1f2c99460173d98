"""`manage.py worker`: takes the queue's jobs (mail) until stopped; run one or more on each worker node.

django-tasks-db's `db_worker` (its options but `--reload`), with a heartbeat and the recovery of the jobs
of workers that died mid-job (mail/workers.py). SIGTERM or Ctrl-C lets the job in hand finish first; a second
one stops at once and leaves the job to another worker, as a crash would."""

import os

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from mail.workers import Heartbeat, beat


class Worker(db_worker.Worker):
    def run(self) -> None:
        if self.batch:
            # A batch run drains the queue and ends; a job it leaves running is recovered by its age.
            super().run()
            return
        beat(self.worker_id)
        self.heartbeat = Heartbeat(self.worker_id)
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop(forget=True)

    def shutdown(self, signum, frame) -> None:
        if not self.running:
            # The second signal: stop now. The job's transaction is rolled back by the database when the
            # connection drops, the heartbeat stops, and a live worker takes the job again.
            os._exit(1)
        super().shutdown(signum, frame)


class Command(db_worker.Command):
    help = "Takes the queue's jobs (mail) until stopped; a job of a worker that died goes to another."

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options):
        # db_worker's options, with this module's Worker. No autoreload: a reload would stop a job midway.
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        queues = queue_name.split(",")
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queues,
            excluded_queue_names=excluded,
            **{name: options[name] for name in WORKER_OPTIONS},
        )
        worker.configure_signals()
        worker.run()


WORKER_OPTIONS = ("interval", "batch", "backend_name", "startup_delay", "max_tasks", "worker_id")
