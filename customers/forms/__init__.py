"""Forms for the staff customer pages."""
