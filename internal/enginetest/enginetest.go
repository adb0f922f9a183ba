// Package enginetest holds what the tests that run the real engage binary share: building it,
// serving on a loopback port, killing it, calling it over SOAP and collecting its output.
package enginetest

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
)

// Build compiles the engage binary into dir and returns its path.
func Build(dir string) (string, error) {
	path := filepath.Join(dir, "engage")
	if out, err := exec.Command("go", "build", "-o", path, "github.com/engage-oss/engage/cmd/engage").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return path, nil
}

// SyncBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines: a running
// process's output, read by the test.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
