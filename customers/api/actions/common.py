"""What every action handler gets."""

from collections.abc import Mapping
from dataclasses import dataclass

from customers.models import Customer


@dataclass(frozen=True)
class Call:
    customer: Customer
    form: Mapping[str, str]

    @property
    def actor_label(self) -> str:
        """Who acted, as the audit trail names a customer acting through the API."""
        return f"customer #{self.customer.pk} {self.customer.name} (API)"[:200]
