from django.db.models.signals import post_migrate
from django.dispatch import Signal, receiver

from orders.roles import sync_roles


@receiver(post_migrate)
def keep_roles_in_step(sender, **kwargs) -> None:
    # After every migrate: permissions exist only once their app's post_migrate ran, and the
    # roles name orders' and customers' (customers comes after orders in INSTALLED_APPS).
    if sender.name == "customers":
        sync_roles()


# Sent in the transaction that makes orders' money final: settled (their price is what they
# sold for), refused upstream or confirmed not placed (nothing sold). `orders`: the Order rows,
# with customer_id, price and settled_at as just written.
orders_closed = Signal()
# Sent after a catalogue sync wrote a provider's services: `provider`.
catalogue_synced = Signal()
