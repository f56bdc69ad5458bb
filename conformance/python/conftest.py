"""Fixtures for the Python SDK conformance suite: the server run.sh started, and its credential."""

import os

import pytest

import afcheck
from afsdk import WireLog, make_client


@pytest.fixture(scope="session")
def server():
    base = os.environ.get("AF_BASE_URL")
    if not base:
        pytest.exit("AF_BASE_URL is not set: run conformance/python/run.sh", returncode=2)
    return {
        "base_url": base,
        "project_id": os.environ["AF_PROJECT_ID"],
        "ak": os.environ["AF_ACCESS_KEY"],
        "sk": os.environ["AF_SECRET_KEY"],
        "db_path": os.environ["AF_DB_PATH"],
    }


@pytest.fixture(scope="module")
def wire():
    """The last response each module's client received (a module's tests share one client)."""
    return WireLog()


@pytest.fixture(scope="module")
def client(server, wire):
    return make_client(server, wire=wire)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"python conformance: {afcheck.count} assertions")
