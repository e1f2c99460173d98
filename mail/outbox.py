"""Queueing mail: the message is rendered in the recipient's language and written to the outbox, and its
delivery task is enqueued, in the caller's transaction. If the change that the mail tells about rolls back,
so does the mail; once it commits, a worker (`manage.py worker`) delivers it."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Message
from .tasks import deliver


def absolute_url(viewname: str, *, language: str, kwargs=None, fragment: str = "") -> str:
    """The page's full address in the recipient's language (the language prefix of the path)."""
    with translation.override(language):
        path = reverse(viewname, kwargs=kwargs)
    return settings.SITE_URL.rstrip("/") + path + (f"#{fragment}" if fragment else "")


def queue(
    *,
    event: str,
    to: str,
    language: str,
    template: str,
    context: dict,
    link: str = "",
    reference: str = "",
) -> Message:
    """`template` names `emails/<template>.txt` (the message) and `emails/<template>_subject.txt`; the
    common frame adds the link to the page where the recipient acts and the sender's name, as plain text
    and as HTML."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context).strip()
        frame = {"text": text, "link": link, "subject": subject, "language": language}
        body = render_to_string("emails/message.txt", frame)
        html = render_to_string("emails/message.html", frame)
    message = Message.objects.create(
        event=event,
        to=to,
        language=language,
        subject=subject[:300],
        body=body,
        html=html,
        reference=reference,
    )
    deliver.enqueue(message.pk)
    return message
