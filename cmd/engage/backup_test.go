package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The operator the tests of the client commands and the backup authenticate as.
const (
	testOperator = "ops"
	testPassword = "ops-Secret-Password-42"
)

// newOperatorDB creates a database holding testOperator, an unscoped ADMINISTRATOR.
func newOperatorDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "engage.db")
	args := []string{"operator", "add", "--name", testOperator, "--role", "ADMINISTRATOR", "--password-stdin", "--db", db}
	if err := run(context.Background(), args, strings.NewReader(testPassword+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return db
}

// soapCall posts a SOAP 1.1 call of op with the inner XML of its wrapper as testOperator and
// returns the answer; it fails the test on a transport error or a status other than 200.
func soapCall(t *testing.T, endpoint, op, inner string) string {
	t.Helper()
	body := `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cc="urn:engage:contactcenter:1"><soap:Body><cc:` +
		op + `>` + inner + `</cc:` + op + `></soap:Body></soap:Envelope>`
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return ""
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"urn:engage:contactcenter:1/`+op+`"`)
	req.SetBasicAuth(testOperator, testPassword)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: HTTP %d\n%.1000s", op, res.StatusCode, answer)
	}
	return string(answer)
}

// setupAccount creates Enterprise ent, Account acct and agent group ag through the API.
func setupAccount(t *testing.T, endpoint string) {
	t.Helper()
	soapCall(t, endpoint, "createOrg", "<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>")
	soapCall(t, endpoint, "createOrg", "<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type><cc:parent><cc:externalId>ent</cc:externalId></cc:parent></cc:org>")
	soapCall(t, endpoint, "createAgentGroup", "<cc:agentGroup><cc:externalId>ag</cc:externalId></cc:agentGroup><cc:parent><cc:externalId>acct</cc:externalId></cc:parent>")
}

// batchSize is the number of agents of one createAgents batch of the backup test.
const batchSize = 200

// TestBackupDuringWrites takes a backup with engage backup while two clients send
// createUsers and createAgents batches to engage serve, then checks the copy: it opens, passes
// integrity_check, holds every batch answered before the backup began, each batch whole or
// absent, and engage serve starts from it as it is.
func TestBackupDuringWrites(t *testing.T) {
	dbPath := newOperatorDB(t)
	wsdlURL, _, _ := startServe(t, "--db", dbPath, "--max-agents", "1000000", "--log-level", "warn")
	endpoint := strings.TrimSuffix(wsdlURL, "?wsdl")
	setupAccount(t, endpoint)

	var (
		mu       sync.Mutex
		answered = map[string]bool{} // batches whose createAgents was answered
		started  = make(chan struct{})
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	const maxBatches = 30 // per client: the load is bounded even if the backup is slow
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range maxBatches {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("w%db%d", w, b)
				var users, agents strings.Builder
				for i := range batchSize {
					id := fmt.Sprintf("%su%d", key, i)
					fmt.Fprintf(&users, "<cc:users><cc:externalId>%s</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent><cc:type>AGENT</cc:type></cc:users>", id)
					fmt.Fprintf(&agents, "<cc:agents><cc:externalId>%s</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent></cc:agents>", id)
				}
				soapCall(t, endpoint, "createUsers", users.String())
				answer := soapCall(t, endpoint, "createAgents", agents.String()+"<cc:agentGroup><cc:externalId>ag</cc:externalId></cc:agentGroup>")
				if strings.Contains(answer, "<warning>") {
					t.Errorf("batch %s: %.1000s", key, answer)
				}
				mu.Lock()
				answered[key] = true
				if len(answered) == 3 {
					close(started)
				}
				mu.Unlock()
			}
		}()
	}
	<-started
	mu.Lock()
	before := make(map[string]bool, len(answered))
	for k := range answered {
		before[k] = true
	}
	mu.Unlock()
	out := filepath.Join(t.TempDir(), "backup.db")
	var stdout strings.Builder
	err := run(context.Background(), []string{"backup", "--db", dbPath, "--out", out}, nil, &stdout, io.Discard)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("engage backup: %v", err)
	}
	t.Logf("%s%d batches answered before the backup began, %d in all", stdout.String(), len(before), len(answered))

	copyDB, err := sql.Open("sqlite3", out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var check string
	if err := copyDB.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	rows, err := copyDB.Query("SELECT u.external_id FROM agents a JOIN users u ON u.id = a.user_id")
	if err != nil {
		t.Fatal(err)
	}
	perBatch := map[string]int{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		perBatch[id[:strings.LastIndexByte(id, 'u')]]++
	}
	rows.Close()
	for k, n := range perBatch {
		if n != batchSize {
			t.Errorf("batch %s has %d agents in the copy, want all %d or none", k, n, batchSize)
		}
	}
	for k := range before {
		if perBatch[k] != batchSize {
			t.Errorf("batch %s, answered before the backup began, has %d agents in the copy", k, perBatch[k])
		}
	}
	copyDB.Close()

	// engage serve starts from the copy as it is, and serves its data.
	restored, _, _ := startServe(t, "--db", out, "--max-agents", "1000000", "--log-level", "warn")
	answer := soapCall(t, strings.TrimSuffix(restored, "?wsdl"), "showAgentGroup", "<cc:agentGroup><cc:externalId>ag</cc:externalId></cc:agentGroup>")
	if !strings.Contains(answer, "<externalId>ag</externalId>") {
		t.Errorf("showAgentGroup on the restored copy: %.1000s", answer)
	}
}

// TestBackupRefusals checks that engage backup needs --out, refuses an existing file and a
// missing database.
func TestBackupRefusals(t *testing.T) {
	dbPath := newOperatorDB(t)
	for _, args := range [][]string{
		{"backup", "--db", dbPath},
		{"backup", "--db", dbPath, "--out", dbPath},
		{"backup", "--db", filepath.Join(t.TempDir(), "none.db"), "--out", filepath.Join(t.TempDir(), "x.db")},
	} {
		if err := run(context.Background(), args, nil, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
