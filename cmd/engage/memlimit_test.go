package main

import (
	"io"
	"os"
	"runtime/debug"
	"testing"
)

// TestMain keeps the serve commands these tests run in this process from giving the whole
// test binary engage serve's default memory limit.
func TestMain(m *testing.M) {
	os.Setenv("ENGAGE_MEMORY_LIMIT", "off")
	os.Exit(m.Run())
}

func TestParseMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{defaultMemoryLimit, 16 << 20, true}, {"1GiB", 1 << 30, true}, {"512KiB", 512 << 10, true},
		{"1TiB", 1 << 40, true}, {"1000000B", 1000000, true}, {"1000000", 1000000, true}, {"off", 0, true}, {"0", 0, true},
		{"16MB", 0, false}, {"16 MiB", 0, false}, {"-1MiB", 0, false}, {"MiB", 0, false}, {"", 0, false},
		{"9999999TiB", 0, false},
	} {
		got, err := parseMemoryLimit(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if _, err := parseServe([]string{"--memory-limit", "lots"}, io.Discard, io.Discard); err == nil {
		t.Error("engage serve took --memory-limit lots")
	}
}

// TestApplyMemoryLimit checks that serve's limit is set unless GOMEMLIMIT is, and that off
// leaves the runtime's as it is.
func TestApplyMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")

	debug.SetMemoryLimit(1<<63 - 1)
	if got := applyMemoryLimit(0); got != -1 {
		t.Errorf("off: limit %d, want none", got)
	}
	if got := applyMemoryLimit(16 << 20); got != 16<<20 || debug.SetMemoryLimit(-1) != 16<<20 {
		t.Errorf("16 MiB: limit %d", got)
	}

	// GOMEMLIMIT, applied by the runtime when the process started, wins.
	os.Setenv("GOMEMLIMIT", "64MiB")
	debug.SetMemoryLimit(64 << 20)
	if got := applyMemoryLimit(16 << 20); got != 64<<20 {
		t.Errorf("with GOMEMLIMIT: limit %d, want GOMEMLIMIT's", got)
	}
}
