// Counted assertions for the Go SDK conformance suite (the total is printed by TestMain).
package conformance

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sync/atomic"
	"testing"
)

var (
	hex32   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
	count   atomic.Int64
)

func TestMain(m *testing.M) {
	if os.Getenv("AF_BASE_URL") == "" {
		fmt.Fprintln(os.Stderr, "AF_BASE_URL is not set: run conformance/go/run.sh")
		os.Exit(2)
	}
	code := m.Run()
	fmt.Printf("go conformance: %d assertions\n", count.Load())
	os.Exit(code)
}

// check is a counted assertion; a failure stops the test (later steps build on it).
func check(t *testing.T, condition bool, format string, args ...any) {
	t.Helper()
	count.Add(1)
	if !condition {
		t.Fatalf(format, args...)
	}
}

// eq: equal value of the same static type. With T = any, the dynamic types must match too
// (a JSON false is not "false", a JSON 1 is not "1").
func eq[T any](t *testing.T, actual, expected T, what string) {
	t.Helper()
	count.Add(1)
	if !reflect.DeepEqual(actual, expected) {
		t.Fatalf("%s: expected %#v (%T), got %#v (%T)", what, expected, expected, actual, actual)
	}
}

func isHex32(t *testing.T, value *string, what string) {
	t.Helper()
	check(t, value != nil && hex32.MatchString(*value), "%s: not 32 lowercase hex: %s", what, repr(value))
}

func isTime(t *testing.T, value *string, what string) {
	t.Helper()
	check(t, value != nil && rfc3339.MatchString(*value), "%s: not an RFC 3339 string: %s", what, repr(value))
}

// val dereferences a pointer the SDK filled in, failing (uncounted) when it is nil.
func val[T any](t *testing.T, p *T, what string) T {
	t.Helper()
	if p == nil {
		t.Fatalf("%s: the SDK answered nil", what)
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func repr[T any](p *T) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%#v", *p)
}
