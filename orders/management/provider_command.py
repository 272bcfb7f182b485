"""Shared shape of the periodic-job commands: the same services the Celery tasks run."""

from django.core.management.base import BaseCommand, CommandError

from orders.models import Provider
from orders.services import jobs
from orders.services.providers import ProviderPaused
from orders.services.throttle import ProviderThrottled
from orders.upstream import ProviderError


class ProviderCommand(BaseCommand):
    job = ""

    def add_arguments(self, parser):
        parser.add_argument("--provider", help="a provider's id or name (default: all active)")

    def providers(self, which: str | None) -> list[Provider]:
        if not which:
            return list(Provider.objects.filter(is_active=True))
        found = Provider.objects.filter(pk=int(which)) if which.isdigit() else None
        found = found or Provider.objects.filter(name=which)
        if not found:
            raise CommandError(f"No provider {which!r}.")
        return list(found)

    def handle(self, *args, provider=None, **options):
        failed = False
        for each in self.providers(provider):
            with jobs.job_run(f"{self.job}:{each.pk}") as report:
                if report is None:
                    self.stdout.write(f"{each.name}: already running elsewhere, skipped")
                    continue
                try:
                    report.summary = str(self.run(each, **options))
                except (ProviderError, ProviderPaused, ProviderThrottled) as exc:
                    failed = report.failed = True
                    report.summary = f"failed: {exc}"
                    self.stderr.write(f"{each.name}: {report.summary}")
                    continue
                self.stdout.write(f"{each.name}: {report.summary}")
        if failed:
            raise CommandError("Some providers failed; see above.")

    def run(self, provider: Provider, **options) -> object:
        raise NotImplementedError
