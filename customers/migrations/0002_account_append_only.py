from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION customers_account_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'customer accounts are append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER customers_accountentry_append_only BEFORE UPDATE OR DELETE
    ON customers_accountentry FOR EACH ROW EXECUTE FUNCTION customers_account_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS customers_accountentry_append_only ON customers_accountentry;
DROP FUNCTION IF EXISTS customers_account_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


def allow_edits(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(append_only, allow_edits)]
