"""python -m demo_idp: starts the demo identity provider on 127.0.0.1 (see the package's docstring)."""

import argparse
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m demo_idp", description=__doc__)
    parser.add_argument("--port", type=int, default=8001, help="0: any free port, written to DIR/port")
    parser.add_argument("--site", default="http://127.0.0.1:8000", help="the grant service's address")
    parser.add_argument("--dir", default=".demo-idp", help="where its keys and database are kept")
    parser.add_argument("--faults", action="store_true", help="tests only: accounts with broken answers")
    parser.add_argument("--setup-only", action="store_true", help="make the keys and accounts, then stop")
    args = parser.parse_args(argv)

    directory = Path(args.dir).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    # Bound before anything else: with --port 0 the system picks a free port, and it stays ours (a port
    # chosen first and bound later could be taken by another program in between).
    listening = socket.create_server(("127.0.0.1", args.port))
    port = listening.getsockname()[1]
    (directory / "port").write_text(str(port))
    from demo_idp.bootstrap import key_and_certificate

    key_and_certificate(directory, "oidc")
    key_and_certificate(directory, "saml")
    # The grant service's own SAML key pair for the demo, beside the provider's (SUOMIFI_SP_KEY_FILE, …).
    key_and_certificate(directory, "service")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="demo_idp.settings",
        DEMO_IDP_DIR=str(directory),
        DEMO_IDP_PORT=str(port),
        DEMO_IDP_SITE_URL=args.site,
        DEMO_IDP_HOST=urlsplit(args.site).hostname or "127.0.0.1",
        DEMO_IDP_FAULTS="1" if args.faults else "0",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from demo_idp.bootstrap import accounts_and_client

    accounts_and_client(args.site.rstrip("/"), args.faults)
    if args.setup_only:
        return 0
    address = f"http://{os.environ['DEMO_IDP_HOST']}:{port}/"
    print(f"Demo identity provider on {address} (for {args.site})", flush=True)
    serve(listening)
    return 0


def serve(listening):
    """Django's development server (threaded, as runserver's), on the socket already bound."""
    from django.core.servers.basehttp import (
        ThreadedWSGIServer,
        WSGIRequestHandler,
        get_internal_wsgi_application,
    )

    server = ThreadedWSGIServer(listening.getsockname(), WSGIRequestHandler, bind_and_activate=False)
    server.socket.close()
    server.socket = listening
    server.server_address = listening.getsockname()
    server.server_name, server.server_port = "127.0.0.1", server.server_address[1]
    server.setup_environ()
    server.set_app(get_internal_wsgi_application())
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
