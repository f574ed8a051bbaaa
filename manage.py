#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "axisfinder.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    # Load the settings before Django does, so that a missing or unreadable variable ends
    # every command in one line on standard error instead of a traceback.
    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading one setting loads them all)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"manage.py: {exc}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
