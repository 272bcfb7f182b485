"""Prepare the embedded demo: a staff login with a generated password, printed for the user."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from panel.embedded import persisted_secret

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Create the demo staff login (and demo provider) for the embedded default."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port the dashboard serves on")

    def handle(self, *args, port: int, **options):
        if not settings.DEBUG:
            raise CommandError("demo_setup is for the embedded demo only (DEBUG is off).")
        password = persisted_secret(
            settings.VAR_DIR / "demo_password", make=lambda: secrets.token_urlsafe(12)
        )
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        base = f"http://127.0.0.1:{port}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Dashboard: {base}\n  Sign in as: {DEMO_USERNAME} / {password}\n"
            )
        )
