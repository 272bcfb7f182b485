from customers.models.account import ORDER_KINDS, AccountEntry, EntryKind
from customers.models.customer import Customer, PriceGroup
from customers.models.keys import ApiKey
from customers.models.offer import Offer

__all__ = [
    "ORDER_KINDS",
    "AccountEntry",
    "ApiKey",
    "Customer",
    "EntryKind",
    "Offer",
    "PriceGroup",
]
