from tqdm import tqdm

from orders.management.provider_command import ProviderCommand
from orders.models import Order
from orders.services.polling import orders_poll


class Command(ProviderCommand):
    help = "Ask each provider for the status of its due orders, 100 a call."
    job = "poll_orders"

    def run(self, provider, **options):
        due = Order.objects.filter(provider=provider, next_check_at__isnull=False).count()
        with tqdm(total=due, unit="order", disable=due < 1000, file=self.stderr) as bar:
            return orders_poll(provider=provider, on_batch=bar.update)
