"""One log record, one line: a newline that came in with user input (an account name typed at sign-in,
a path) is written as `\\n`, so that nobody can forge a log line (red-team finding 9). Tracebacks, which
are not user input, keep their lines."""

import logging


class OneLinePerRecord(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "\n" in message or "\r" in message:
            record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
            record.args = None
        return True
