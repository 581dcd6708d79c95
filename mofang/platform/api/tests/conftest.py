"""Fixtures of the API tests that call the real WSGI application (schemathesis)."""

import pytest


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The real WSGI app closes the DB connection at the end of each request (as in production);
    in a test that would drop the test transaction, so, like Django's test client, don't."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
