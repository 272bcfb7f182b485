"""Forms for the staff pages; the order form is built from the order-type table."""
