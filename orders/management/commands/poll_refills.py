from orders.management.provider_command import ProviderCommand
from orders.services.refill_polling import refills_poll


class Command(ProviderCommand):
    help = "Ask each provider for the status of its open refills, 100 a call."
    job = "poll_refills"

    def run(self, provider, **options):
        return refills_poll(provider=provider)
