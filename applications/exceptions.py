"""The one exception the case's services raise when they refuse an action."""


class WorkflowError(Exception):
    """A refused action, with a message for the user; nothing was changed."""
