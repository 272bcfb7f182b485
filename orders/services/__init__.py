"""Business logic: everything that writes. Views and tasks call these; these call the client."""
