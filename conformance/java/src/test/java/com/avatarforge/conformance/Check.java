package com.avatarforge.conformance;

import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/** Counted assertions for the Java SDK conformance suite (the total is printed in @AfterAll), and the helpers both of its test classes use. */
final class Check {
    static final Pattern HEX32 = Pattern.compile("^[0-9a-f]{32}$");
    static final Pattern RFC3339 = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$");

    static int count = 0;

    private Check() {
    }

    static void check(boolean condition, String message) {
        count++;
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Equal value and equal class (an Integer is not a Long, "1" is not 1); any two Lists compare by elements. */
    static void eq(Object actual, Object expected, String what) {
        count++;
        boolean same = Objects.equals(actual, expected)
            && (actual == null || expected == null || actual.getClass() == expected.getClass()
                || (actual instanceof java.util.List && expected instanceof java.util.List));
        if (!same) {
            throw new AssertionError(what + ": expected " + describe(expected) + ", got " + describe(actual));
        }
    }

    static void isHex32(String value, String what) {
        check(value != null && HEX32.matcher(value).matches(), what + ": not 32 lowercase hex: " + value);
    }

    static void isTime(String value, String what) {
        check(value != null && RFC3339.matcher(value).matches(), what + ": not an RFC 3339 string: " + value);
    }

    // Shared by both suites: settings from run.sh, SDK enums as text, the SDK's client errors.

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: run conformance/java/run.sh");
        }
        return value;
    }

    static String value(Object sdkEnum) {
        return sdkEnum == null ? null : sdkEnum.toString();
    }

    /** A call that must fail with the SDK's ClientRequestException: status, code, message and request id checked. */
    static ClientRequestException expectClientError(Executable call, int status, String code) {
        ClientRequestException error = null;
        try {
            call.execute();
        } catch (ClientRequestException e) {
            error = e;
        } catch (Throwable e) {
            throw new AssertionError("expected a ClientRequestException (" + status + " " + code + "), got " + e, e);
        }
        check(error != null, "expected a ClientRequestException (" + status + " " + code + "), the call succeeded");
        check(error instanceof ServiceResponseException, "ClientRequestException is a ServiceResponseException");
        eq(error.getHttpStatusCode(), status, "getHttpStatusCode");
        eq(error.getErrorCode(), code, "getErrorCode");
        check(error.getErrorMsg() != null && !error.getErrorMsg().isEmpty(), "getErrorMsg is non-empty: " + error.getErrorMsg());
        isHex32(error.getRequestId(), "getRequestId");
        return error;
    }

    private static String describe(Object value) {
        return value == null ? "null" : "<" + value + "> (" + value.getClass().getSimpleName() + ")";
    }
}
