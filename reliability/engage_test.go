package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database file is checked directly too

	"github.com/engage-oss/engage/internal/enginetest"
)

// The operator the tests call as, created with the binary's engage operator add.
const (
	operatorName     = "reliability"
	operatorPassword = "reliability-Secret-42"
)

// buildEngage builds the real binary from ../cmd/engage into a temporary folder.
func buildEngage(t *testing.T) string {
	t.Helper()
	bin, err := enginetest.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// server is the real binary serving one database file, started and killed as a test asks.
type server struct {
	t    *testing.T
	bin  string
	db   string
	args []string // more flags of engage serve
	// proc is the running process, nil once killed; its URL changes on every start (port 0).
	proc *enginetest.Process
	// log is everything the process wrote, over all its starts.
	log    enginetest.SyncBuffer
	client *http.Client
}

// newServer creates the database with the test's operator (engage operator add) and starts
// engage serve on it with the given extra flags; the process is killed when the test ends.
func newServer(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	s := &server{t: t, bin: bin, db: filepath.Join(t.TempDir(), "engage.db"), args: args}
	add := exec.Command(bin, "operator", "add", "--name", operatorName, "--role", "ADMINISTRATOR", "--password-stdin", "--db", s.db)
	add.Stdin = strings.NewReader(operatorPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("engage operator add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if s.proc != nil {
			s.kill()
		}
		if t.Failed() {
			t.Logf("engage serve log:\n%s", s.log.String())
		}
	})
	s.start()
	return s
}

// start runs engage serve on a free loopback port and waits until it listens.
func (s *server) start() {
	s.t.Helper()
	proc, err := enginetest.Serve(s.bin, &s.log, append([]string{"--db", s.db, "--log-level", "error"}, s.args...)...)
	if err != nil {
		s.t.Fatal(err)
	}
	s.proc = proc
	// A new transport each start: the connections to a killed process are gone.
	s.client = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.proc.Kill()
	s.proc = nil
	s.client.CloseIdleConnections()
}

// post sends op with the inner XML of its request wrapper over SOAP 1.1 and returns the
// HTTP status (0 when none came) and the body; err is set when the answer did not arrive
// whole (the process died).
func post(client *http.Client, url, op, inner string) (int, []byte, error) {
	req, err := enginetest.Request(url, "", op, inner)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(operatorName, operatorPassword)
	resp, raw, err := enginetest.Do(client, req)
	if resp == nil {
		return 0, nil, err
	}
	return resp.StatusCode, raw, err
}

// mustCall calls op on the running process and returns its answer, failing the test unless
// it is a success.
func (s *server) mustCall(op, inner string) reply {
	s.t.Helper()
	status, raw, err := post(s.client, s.proc.URL, op, inner)
	if err != nil {
		s.t.Fatalf("%s: %v", op, err)
	}
	r, err := successOf(op, status, raw)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// reply is a successful answer, read without building a tree: the race detector makes
// encoding/xml take seconds over answers of 1,000 results. The service writes the elements of
// its answers unprefixed, in its default namespace, which is what reply's methods look for.
type reply []byte

// successOf returns the answer to op if it is a success: HTTP 200 and op's response element.
func successOf(op string, status int, raw []byte) (reply, error) {
	if status != http.StatusOK || !bytes.Contains(raw, []byte("<"+op+"Response")) {
		return nil, fmt.Errorf("%s: want success, got HTTP %d\n%.1000s", op, status, raw)
	}
	return reply(raw), nil
}

// count returns how many elements named tag the answer holds.
func (r reply) count(tag string) int {
	return bytes.Count(r, []byte("<"+tag+">"))
}

// first returns the text of the first element named tag at or after the start of r, "" when
// there is none.
func (r reply) first(tag string) string {
	_, after, found := bytes.Cut(r, []byte("<"+tag+">"))
	if !found {
		return ""
	}
	text, _, _ := bytes.Cut(after, []byte("</"+tag+">"))
	return string(text)
}

// agentUsers returns the externalId of the agent (user) of each result, in order.
func (r reply) agentUsers() []string {
	var users []string
	results := bytes.Split(r, []byte("<result>"))
	for _, result := range results[1:] {
		_, agent, _ := bytes.Cut(result, []byte("<agent>"))
		users = append(users, reply(agent).first("externalId"))
	}
	return users
}

// openDB opens the database file read-only, beside the process serving it.
func (s *server) openDB() *sql.DB {
	s.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+s.db+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		s.t.Fatal(err)
	}
	return db
}

// integrity fails the test unless PRAGMA integrity_check is ok and no foreign key is broken.
func integrity(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("PRAGMA integrity_check: %q %v", result, err)
	}
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("PRAGMA foreign_key_check found a broken reference")
	}
}
