"""One adapter per delivery channel behind ``base.Channel``."""
