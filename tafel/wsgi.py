import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel.settings")
application = get_wsgi_application()


def warmed():
    """The application after `tafel.core.warmup.warm_up`: for gunicorn with `--preload`, which loads it once in
    the master before forking the workers (deploy/serve.sh: `gunicorn 'tafel.wsgi:warmed()' --preload`)."""
    from tafel.core.warmup import warm_up

    warm_up()
    return application
