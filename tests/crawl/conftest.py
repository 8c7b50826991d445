"""The local test site (``tests/http_server.py``) as fixtures: one server per session, its request
log cleared before each test."""
from __future__ import annotations

import pytest

from tests.http_server import LocalServer, tls_contexts

SECURE_HOST = "secure.example"


@pytest.fixture(scope="session")
def _site():
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def http_server(_site) -> LocalServer:
    """The site at ``http_server.base_url``, with no requests logged yet."""
    _site.reset()
    return _site


@pytest.fixture(scope="session")
def _tls(tmp_path_factory):
    pytest.importorskip("cryptography")
    return tls_contexts(SECURE_HOST, tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def _secure_site(_tls):
    server = LocalServer(tls=_tls[0]).start()
    yield server
    server.stop()


@pytest.fixture
def https_server(_secure_site, _tls):
    """The same site over TLS with a certificate for ``secure.example`` only, and an ``ssl.SSLContext``
    trusting it: ``(server, client_context)``."""
    _secure_site.reset()
    return _secure_site, _tls[1]
