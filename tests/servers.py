"""Servers the tests start on loopback, each on a port the system gives it at bind time.

A port picked first ("bind to 0, read the number, close") and bound again later can be taken by another
program in between, as by a second test run on the same machine. So the tests bind the listening socket
themselves and hand the bound socket to the server: in this process (the SMTP server) or to a child process
(gunicorn's `--bind fd://N`)."""

import socket

from aiosmtpd.controller import Controller


def bound_socket():
    """A TCP socket bound to a free port of 127.0.0.1, not yet listening: the port is ours, and until the
    server starts listening on it a connection is refused, as to a server that is down."""
    bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    bound.bind(("127.0.0.1", 0))
    return bound


class SMTPController(Controller):
    """aiosmtpd's threaded SMTP server on a socket bound before it starts: `port` is known at once, and
    connections are refused until `start()` (asyncio listens on the socket)."""

    def __init__(self, handler, **kwargs):
        self.bound = bound_socket()
        super().__init__(handler, hostname="127.0.0.1", port=self.bound.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.bound)
