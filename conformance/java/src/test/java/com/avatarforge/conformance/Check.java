package com.avatarforge.conformance;

import java.util.Objects;
import java.util.regex.Pattern;

/** Counted assertions for the Java SDK conformance suite (the total is printed in @AfterAll). */
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

    private static String describe(Object value) {
        return value == null ? "null" : "<" + value + "> (" + value.getClass().getSimpleName() + ")";
    }
}
