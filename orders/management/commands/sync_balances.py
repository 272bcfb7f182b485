from orders.management.provider_command import ProviderCommand
from orders.services.balances import balance_summary, balance_sync


class Command(ProviderCommand):
    help = "Read each provider's balance."
    job = "sync_balance"

    def run(self, provider, **options):
        return balance_summary(balance_sync(provider=provider))
