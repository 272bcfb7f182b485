from orders.management.provider_command import ProviderCommand
from orders.services.catalogue import catalogue_sync


class Command(ProviderCommand):
    help = "Import each provider's catalogue (new, changed and removed services)."
    job = "sync_catalogue"

    def run(self, provider, **options):
        return catalogue_sync(provider=provider)
