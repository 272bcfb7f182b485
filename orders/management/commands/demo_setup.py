"""Prepare the embedded demo: a staff login with a generated password, printed for the user,
a demo provider that is the built-in simulator, and a funded demo customer with an API key."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from customers.models import ApiKey, Customer
from customers.models.keys import key_digest
from customers.services.account import funds_add
from orders.models import Provider
from panel.embedded import persisted_secret

DEMO_USERNAME = "demo"
DEMO_PROVIDER = "Demo provider (simulator)"
DEMO_CUSTOMER = "Demo customer"
DEMO_FUNDS = Decimal("100.00")


class Command(BaseCommand):
    help = "Create the demo staff login and demo provider for the embedded default."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port the dashboard serves on")

    def handle(self, *args, port: int, **options):
        if not settings.DEBUG:
            raise CommandError("demo_setup is for the embedded demo only (DEBUG is off).")
        password = self.demo_login()
        lines = [
            f"Dashboard: http://127.0.0.1:{port}/",
            f"Sign in as: {DEMO_USERNAME} / {password}",
        ]
        if settings.SIMULATOR_ENABLED:
            provider = self.demo_provider(port)
            lines.append(f"Demo provider: {provider.api_url} (the built-in simulator)")
        key = self.demo_customer()
        lines.append(
            f"Our API v2: http://127.0.0.1:{port}/api/v2 with the demo customer's key {key}"
        )
        self.stdout.write(self.style.SUCCESS("\n" + "".join(f"  {line}\n" for line in lines)))

    def demo_login(self) -> str:
        password = persisted_secret(
            settings.VAR_DIR / "demo_password", make=lambda: secrets.token_urlsafe(12)
        )
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return password

    def demo_provider(self, port: int) -> Provider:
        from simulator.demo import ensure_demo_account  # the simulator app is optional

        existing = Provider.objects.filter(name=DEMO_PROVIDER).first()
        key = ensure_demo_account(existing.api_key if existing else None)
        provider = existing or Provider(name=DEMO_PROVIDER, rate_limit_per_minute=120)
        provider.api_url = f"http://127.0.0.1:{port}/simulator/api/v2"
        provider.api_key = key
        provider.save()
        return provider

    def demo_customer(self) -> str:
        """A customer with 100.00 USD and a key kept in var/ (the demo's only: a real key is
        shown once and kept as a digest), so the API can be tried at once."""
        raw = persisted_secret(settings.VAR_DIR / "demo_customer_key")
        customer, created = Customer.objects.get_or_create(
            name=DEMO_CUSTOMER, defaults={"currency": "USD", "contact": "demo@example.com"}
        )
        if created:
            funds_add(customer=customer, amount=DEMO_FUNDS, reason="demo funds", actor=None)
        if not ApiKey.objects.filter(digest=key_digest(raw)).exists():
            ApiKey.objects.create(
                customer=customer, label="demo", prefix=raw[:8], digest=key_digest(raw)
            )
        return raw
