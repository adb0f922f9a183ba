package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultMemoryLimit is the soft memory limit engage serve gives the Go runtime when neither
// --memory-limit nor GOMEMLIMIT says otherwise. Small calls need about 10 MiB (heap, stacks
// and the runtime's own); a password verification holds 7 MiB for some 30 ms, and the heap
// goal doubling over it made most of the peak resident memory: 37 MiB under wrk's 32
// connections of showAgentGroup, 30 MiB with this limit, which costs that load some 15% of
// its throughput in collections and in returning memory to the system. A 1,000-item batch
// keeps at most some 8 MiB live. The limit is soft: a heap that needs more gets it, the
// collector then working harder (at most half of the CPU), so heavy concurrent batch loads,
// or a machine where throughput matters more than memory, may want it raised or off.
const defaultMemoryLimit = "16MiB"

// memoryUnits are the suffixes --memory-limit takes, as GOMEMLIMIT does.
var memoryUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// parseMemoryLimit reads a --memory-limit: bytes with an optional B, KiB, MiB, GiB or TiB
// suffix, or off (also 0) for none, which it returns as 0.
func parseMemoryLimit(s string) (int64, error) {
	if s == "off" {
		return 0, nil
	}
	number, shift := s, uint(0)
	for _, u := range memoryUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			number, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("--memory-limit %q: want bytes with an optional B, KiB, MiB, GiB or TiB suffix, or off", s)
	}
	return n << shift, nil
}

// applyMemoryLimit sets limit (bytes, 0 for none) as the runtime's soft memory limit unless
// the GOMEMLIMIT environment variable, which the runtime has already applied, is set. It
// returns the limit in force, negative for none.
func applyMemoryLimit(limit int64) int64 {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	if current := debug.SetMemoryLimit(-1); current != 1<<63-1 {
		return current
	}
	return -1
}
