"""Amounts stored before upstream numbers were checked, that no page could read back.

SQLite kept a charge of 1e309 as REAL infinity and 1e20 as a REAL no 24-digit column can
be read into: every page showing it failed. An amount of 10^15 or more (what upstream
answers are now held under) is cleared where the column allows it, with a note saying
what it was; a service's rate cannot be empty, so the service is set to 0 and marked
removed, which keeps it out of new orders until the next sync brings its rate back.
"""

from django.db import migrations
from django.utils import timezone

LIMIT = "1e15"


def _out_of_range(connection, table: str, column: str) -> list[tuple[int, str]]:
    """(id, the value as text) of each row whose amount is out of range, read as raw SQL:
    Django's conversion of such a value is what fails."""
    quote = connection.ops.quote_name
    col = quote(column)
    odd = f" OR typeof({col}) NOT IN ('integer', 'real', 'null')"
    sql = (
        f"SELECT id, CAST({col} AS TEXT) FROM {quote(table)} WHERE {col} >= {LIMIT}"
        f" OR {col} <= -{LIMIT}{odd if connection.vendor == 'sqlite' else ''}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(pk, str(text)) for pk, text in cursor.fetchall()]


def clear_out_of_range_amounts(apps, schema_editor) -> None:
    connection = schema_editor.connection
    now = timezone.now()
    Order = apps.get_model("orders", "Order")
    OrderEvent = apps.get_model("orders", "OrderEvent")
    Service = apps.get_model("orders", "Service")
    ServiceChange = apps.get_model("orders", "ServiceChange")
    Provider = apps.get_model("orders", "Provider")
    for column in ("charge", "cost", "price"):
        rows = _out_of_range(connection, Order._meta.db_table, column)
        Order.objects.filter(pk__in=[pk for pk, _ in rows]).update(**{column: None})
        OrderEvent.objects.bulk_create(
            OrderEvent(
                order_id=pk,
                kind="anomaly",
                message=f"The stored {column} {text} was out of range (an amount is held under"
                " 10^15); cleared.",
                data={column: text},
            )
            for pk, text in rows
        )
    for column in ("old_rate", "new_rate"):
        rows = _out_of_range(connection, ServiceChange._meta.db_table, column)
        ServiceChange.objects.filter(pk__in=[pk for pk, _ in rows]).update(**{column: None})
    rows = _out_of_range(connection, Service._meta.db_table, "rate")
    Service.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        rate=0, removed_at=now, changed_at=now
    )
    for pk, text in _out_of_range(connection, Provider._meta.db_table, "balance"):
        Provider.objects.filter(pk=pk).update(
            balance=None,
            last_error=f"The stored balance {text} was out of range; cleared."[:300],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_order_claimed_until"),
    ]

    operations = [
        migrations.RunPython(clear_out_of_range_amounts, migrations.RunPython.noop),
    ]
