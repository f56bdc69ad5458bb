"""The SDK client both Python conformance modules use, and how they check the SDK's client errors."""

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkmetastudio.v1 import MetaStudioClient

from afcheck import check, eq, is_hex32


class WireLog:
    """Remembers the last HTTP response the SDK received (an SDK HttpHandler hook, read-only)."""

    def __init__(self):
        self.last = None

    def __call__(self, response=None, logger=None, **_):
        self.last = response

    @property
    def request_id(self):
        return self.last.headers.get("X-Request-Id")


def make_client(server, sk=None, wire=None):
    credentials = BasicCredentials(server["ak"], sk or server["sk"], server["project_id"])
    builder = MetaStudioClient.new_builder() \
        .with_credentials(credentials) \
        .with_endpoints([server["base_url"]])
    if wire is not None:
        builder = builder.with_http_handler(HttpHandler().add_response_handler(wire))
    return builder.build()


def expect_client_error(call, status, code, wire):
    with pytest.raises(exceptions.ClientRequestException) as caught:
        call()
    error = caught.value
    eq(error.status_code, status, "status_code")
    eq(error.error_code, code, "error_code")
    check(isinstance(error.error_msg, str) and error.error_msg != "", f"error_msg is non-empty: {error.error_msg!r}")
    is_hex32(error.request_id, "exception request_id")
    eq(error.request_id, wire.request_id, "exception request_id equals the X-Request-Id header")
    return error
