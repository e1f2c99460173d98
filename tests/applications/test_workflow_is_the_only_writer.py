"""The workflow is the one authority on status changes: outside `workflow.perform` (applications/workflow/)
no code of the apps writes a field that holds a case object's state, by `update()`, `create()`, an
attribute or `setattr`. A new such write fails here until it goes through the workflow, or is listed below
with the reason it is not a status change of a case."""

import ast
from pathlib import Path

from applications import workflow

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "applications", "core", "grants", "mail", "opendata", "processing", "config")

# The status fields, and the fields a derived state is read from (Machine.state_fields).
STATE_FIELDS = {name for machine in workflow.MACHINES.values() for name in machine.state_fields}

# (file, what is written) -> why it is no status change of a case that the workflow should make.
ALLOWED = {
    ("applications/management/commands/generate_demo_data.py", "Call.objects.create"): (
        "generated benchmark and demo data: cases built in every state at once, never a live change"
    ),
    ("applications/services/drafting.py", "Participant.objects.create"): (
        "the lead's own participation is born confirmed, inside the draft's `start` step (one journal row)"
    ),
    ("grants/admin.py", "obj.status"): "a call added in the admin starts as a draft: its first state",
    ("mail/tasks.py", "message.status"): "an e-mail's delivery status, not a case's",
    ("mail/tasks.py", "Message.objects.filter.update"): "an e-mail's delivery status, not a case's",
    ("mail/workers.py", "DBTaskResult.objects.filter.update"): "the task queue's own bookkeeping",
}

WRITERS = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def chain(call: ast.Call) -> str:
    """`Message.objects.filter(…).update(…)` -> "Message.objects.filter.update": the names, no arguments."""
    names, node = [], call.func
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            names.append(ast.unparse(node))
            return ".".join(reversed(names))


def writes(tree):
    """(line, what) for each write of a state field in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITERS:
            if {keyword.arg for keyword in node.keywords} & STATE_FIELDS:
                yield node.lineno, chain(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and name.value in STATE_FIELDS:
                yield node.lineno, ast.unparse(node.args[0]) + "." + name.value
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS:
                    yield node.lineno, ast.unparse(target)


def found():
    result = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative == "applications/workflow/__init__.py":
                continue
            for line, what in writes(ast.parse(path.read_text(), relative)):
                result.setdefault((relative, what), []).append(line)
    return result


def test_no_status_is_written_outside_the_workflow():
    outside = {key: lines for key, lines in found().items() if key not in ALLOWED}
    assert not outside, "State written outside workflow.perform: " + "; ".join(
        f"{path}:{','.join(map(str, lines))} {what}" for (path, what), lines in sorted(outside.items())
    )


def test_every_allowed_write_still_exists():
    """An exception whose code has gone is removed from the list, so that the list stays true."""
    assert set(ALLOWED) <= set(found()), set(ALLOWED) - set(found())


def test_the_scan_sees_a_status_written_by_update():
    """The scan itself: the three kinds of write it must see."""
    source = (
        "IssuedDocument.objects.filter(pk=1).update(method='electronic')\n"
        "application.status = 'awarded'\n"
        "setattr(decision, 'status', 'approved')\n"
    )
    assert sorted(writes(ast.parse(source))) == [
        (1, "IssuedDocument.objects.filter.update"),
        (2, "application.status"),
        (3, "decision.status"),
    ]
