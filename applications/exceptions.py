"""The one exception the case's services raise when they refuse an action."""


class WorkflowError(Exception):
    """A refused action, with a message for the user; nothing was changed."""


class EditConflict(WorkflowError):
    """Somebody else saved the same form after this user opened it: nothing was saved, so that neither
    text overwrites the other unseen."""
