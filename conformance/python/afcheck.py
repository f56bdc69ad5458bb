"""Counted assertions for the Python SDK conformance suite (the total is printed by conftest.py)."""

import re

HEX32 = re.compile(r"^[0-9a-f]{32}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

count = 0


def check(condition, message=""):
    """assert, counted."""
    global count
    count += 1
    assert condition, message


def eq(actual, expected, what=""):
    """Equal value and equal type (True is not 1, "1" is not 1)."""
    global count
    count += 1
    assert type(actual) is type(expected) and actual == expected, \
        f"{what}: expected {expected!r} ({type(expected).__name__}), got {actual!r} ({type(actual).__name__})"


def is_hex32(value, what=""):
    check(isinstance(value, str) and HEX32.match(value) is not None, f"{what}: not 32 lowercase hex: {value!r}")


def is_time(value, what=""):
    check(isinstance(value, str) and RFC3339.match(value) is not None, f"{what}: not an RFC 3339 string: {value!r}")
