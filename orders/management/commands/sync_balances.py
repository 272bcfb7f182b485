from orders.management.provider_command import ProviderCommand
from orders.services.balances import balance_sync


class Command(ProviderCommand):
    help = "Read each provider's balance."
    job = "sync_balance"

    def run(self, provider, **options):
        provider = balance_sync(provider=provider)
        low = " (under the low-balance threshold)" if provider.is_low_on_balance else ""
        return f"balance {provider.balance} {provider.currency}{low}"
