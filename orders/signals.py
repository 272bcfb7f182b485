from django.db.models.signals import post_migrate
from django.dispatch import receiver

from orders.roles import sync_roles


@receiver(post_migrate)
def keep_roles_in_step(sender, **kwargs) -> None:
    # After every migrate: permissions exist only once their app's migrations ran.
    if sender.name == "orders":
        sync_roles()
