import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

# Django's own name for it (createsuperuser --noinput reads it too).
PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a superuser for the admin, or when the username is taken make that account "
        f"an active superuser with the new password. The password comes from {PASSWORD_VARIABLE} "
        "or, at a terminal, is asked for. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="default: admin")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the password, write nothing"
        )

    def handle(self, username, dry_run=False, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        exists = user is not None
        if not exists:
            user = User(**{User.USERNAME_FIELD: username})
        password = self.password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if exists:
            done = f"User {username} already exists: password reset, active superuser."
        else:
            done = f"Superuser {username} created."
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {done}")
            return
        user.set_password(password)
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        self.stdout.write(self.style.SUCCESS(done))

    def password(self):
        """The password from the environment, or typed twice at a terminal."""
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(f"No password: set {PASSWORD_VARIABLE} or run at a terminal.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was written.")
        if not password:
            raise CommandError("The password is empty; nothing was written.")
        return password
