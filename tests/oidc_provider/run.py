"""Run the test OpenID Connect provider on loopback (used by tafel/integrations/tests/oidc_fixtures.py).

    python -m tests.oidc_provider.run --client-id ID --client-secret S --redirect-uri URL [...] \
        --user NAME:PASSWORD [...]

Prints `READY <port>` once it listens on 127.0.0.1 (an ephemeral port), then serves until killed.
The database, RSA key and claims file come from the environment (see settings.py)."""

import argparse
import os
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--user", action="append", default=[])
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for spec in args.user:
        name, password = spec.split(":", 1)
        User.objects.create_user(username=name, password=password)
    Application.objects.create(
        name="Tafel",
        client_id=args.client_id,
        client_secret=args.client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(args.redirect_uri),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *a):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        sys.exit(0)


if __name__ == "__main__":
    main()
