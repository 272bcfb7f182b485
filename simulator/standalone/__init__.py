"""The simulator served alone, as `manage.py runsimulator` runs it (see its settings)."""
