"""Staff pages for customers and our services; each module exports its own `urlpatterns`."""
