"""Virus scanning of uploads: the hook, and a client for a ClamAV daemon (clamd) over TCP.

The hook is the setting ATTACHMENT_SCANNER: a dotted path to a function that takes the uploaded file and
returns None when it is clean or the name of what it found. The default scans with clamd when CLAMAV_ADDRESS
is set and does nothing otherwise. A configured scanner that cannot be reached refuses the file (fails
closed) rather than letting an unscanned file in.

The client speaks clamd's documented INSTREAM command itself: the Python clients on PyPI (clamd, pyclamd)
have had no release since 2014 and 2017, and the protocol is a dozen lines."""

import logging
import socket
import struct

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("security")

CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = 30


class ScannerUnavailable(Exception):
    """The scanner is configured but did not give an answer."""


def scan(upload):
    """Runs the configured scanner; returns None for a clean file, else what was found."""
    scanner = import_string(settings.ATTACHMENT_SCANNER)
    upload.seek(0)
    try:
        return scanner(upload)
    finally:
        upload.seek(0)


def scan_with_clamav(upload):
    address = settings.CLAMAV_ADDRESS
    if not address:
        return None
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=TIMEOUT_SECONDS) as conn:
            conn.sendall(b"zINSTREAM\0")
            for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = _read_reply(conn)
    except (OSError, ValueError) as error:
        log.error("virus scanner unreachable at %s: %s", address, error)
        raise ScannerUnavailable from error
    # "stream: OK", "stream: <signature> FOUND" or "<message> ERROR"
    if reply.endswith(" FOUND"):
        found = reply.removeprefix("stream: ").removesuffix(" FOUND")
        log.warning("virus scanner found %s in an upload", found)
        return found
    if reply.endswith("OK"):
        return None
    log.error("virus scanner answered %r", reply)
    raise ScannerUnavailable(reply)


def _read_reply(conn):
    data = b""
    while not data.endswith(b"\0"):
        part = conn.recv(4096)
        if not part:
            break
        data += part
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()
