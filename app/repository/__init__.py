"""Every query the service makes, one module per concern (see the README layout)."""
