"""`python -m tafel_hub <command>`: the hub's manage.py (migrate, runserver, hub_house_add, ...)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel_hub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
