from django.db import migrations, models


def leave_room_on_each_page(apps, schema_editor):
    # A tenth of each page stays free, so claiming an order (one unindexed column) is a
    # heap-only update on its own page: no index entry rewritten.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE orders_order SET (fillfactor = 90)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE orders_order RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="claimed_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(leave_room_on_each_page, fill_pages),
    ]
