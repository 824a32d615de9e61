"""On PostgreSQL the database itself refuses to change or delete audit entries.

(SQLite, the one-machine default, relies on the model and queryset guards: a
trigger there would also block the test runner's flush.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lms_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'lms_auditentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lms_auditentry_append_only
    BEFORE UPDATE OR DELETE ON lms_auditentry
    FOR EACH ROW EXECUTE FUNCTION lms_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS lms_auditentry_append_only ON lms_auditentry;
DROP FUNCTION IF EXISTS lms_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
