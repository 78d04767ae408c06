"""What a web process would otherwise do on its first requests, done once before gunicorn forks its workers
(`deploy/serve.sh` runs gunicorn with `--preload`; docs/operations.md "make serve").

A fresh worker's first case page cost about 1 s of CPU (issue 14, docs/performance.md "Load test"): importing
every view through the URL configuration, reading the translation catalogues and compiling the templates. Each
worker paid it after every recycle (`--max-requests`), and the user whose request it was waited for it. Done in
the master, every worker starts with it, shared copy-on-write.

No database connection is opened here, and none is left open: a connection made before the fork would be shared
by every worker.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)


def own_template_dirs() -> list[Path]:
    """The template directories of Tafel itself (the project's and its apps'), not of third-party packages.

    Judged by the app's module name, not by where the files lie: a virtualenv inside the checkout (`make`'s
    `.venv`) puts Django's admin templates under the project directory too."""
    from django.apps import apps

    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for app in apps.get_app_configs():
        if app.name == "tafel" or app.name.startswith("tafel."):
            dirs.append(Path(app.path) / "templates")
    return [d for d in dirs if d.is_dir()]


def warm_up() -> dict:
    """Import the URL configuration (and so every view), load the translation catalogues of every language and
    compile Tafel's templates into the cached loader. Returns how many templates were compiled."""
    from django.template import TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tafel")
    engine = engines["django"]
    compiled, failed = 0, 0
    for directory in own_template_dirs():
        for path in sorted(directory.rglob("*.html")) + sorted(directory.rglob("*.txt")):
            try:
                engine.get_template(path.relative_to(directory).as_posix())
                compiled += 1
            except TemplateSyntaxError:
                # Not for this engine (or broken, which its page's tests show): its first request compiles it.
                failed += 1
    # Nothing above should have queried; if an import did, the connection must not cross the fork.
    connections.close_all()
    log.info("warm-up: %d templates compiled (%d skipped)", compiled, failed)
    return {"templates": compiled, "skipped": failed}
