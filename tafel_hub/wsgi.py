"""WSGI entry point of the hub (gunicorn tafel_hub.wsgi), apart from any house's."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel_hub.settings")
application = get_wsgi_application()
