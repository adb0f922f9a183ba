package interop_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/engage-oss/engage/internal/enginetest"
)

// The operator every client authenticates as, created with engage operator add.
const (
	operatorName     = "interop"
	operatorPassword = "interop-Secret-42"
)

// binary is the engage binary built once for the package's tests.
var binary struct {
	once sync.Once
	path string
	err  error
}

// TestMain runs the tests and removes the binary they built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// engageBinary builds the real binary from ../cmd/engage, once.
func engageBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "engage-interop-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path, binary.err = enginetest.Build(dir)
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// server is one running engage serve on a new database, behind a recording proxy.
type server struct {
	// endpoint is the proxy's SOAP endpoint; the WSDL it serves names the proxy, so clients
	// send every call through it.
	endpoint string
	// wsdl is the URL of the WSDL, as a client loads it.
	wsdl string
	// rec holds every exchange the proxy forwarded.
	rec *recorder
}

// startServer creates a database with the interop operator (an unscoped ADMINISTRATOR),
// starts `engage serve` on a free loopback port and a recording proxy in front of it, and
// stops both when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	bin := engageBinary(t)
	dbPath := filepath.Join(t.TempDir(), "interop.db")
	add := exec.Command(bin, "operator", "add", "--name", operatorName, "--role", "ADMINISTRATOR",
		"--password-stdin", "--db", dbPath)
	add.Stdin = strings.NewReader(operatorPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("engage operator add: %v\n%s", err, out)
	}
	var log enginetest.SyncBuffer
	p, err := enginetest.Serve(bin, &log, "--db", dbPath, "--log-level", "warn")
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("engage serve log:\n%s", log.String())
		}
	})
	s := &server{rec: newRecorder(t, strings.TrimSuffix(p.URL, "/services/ContactCenter"))}
	s.endpoint = s.rec.url + "/services/ContactCenter"
	s.wsdl = s.endpoint + "?wsdl"
	return s
}
