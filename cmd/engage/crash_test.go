package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// TestKilledMidBatchLeavesEachItemWhole starts the real binary, sends a createAgentsUsingString
// batch of 1,000 records that each also change their user (registrationMethod), kills the
// process with SIGKILL at a random moment, and checks on the database that every item is
// either wholly there (agent and user change) or wholly absent.
func TestKilledMidBatchLeavesEachItemWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := filepath.Join(t.TempDir(), "engage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const trials = 8
	for trial := range trials {
		dbPath := filepath.Join(t.TempDir(), "crash.db")
		url, stop := start(t, bin, dbPath)
		setUp(t, url)
		// The batch: every record sets registrationMethod SIP on its user and makes it an agent.
		var records strings.Builder
		for i := range 1000 {
			fmt.Fprintf(&records, "user%04d,,SIP\n", i)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			post(url, "createAgentsUsingString", "<cc:agents>"+records.String()+"</cc:agents><cc:agentGroup><cc:externalId>ag</cc:externalId></cc:agentGroup>")
		}()
		// A batch of 1,000 takes some tens of milliseconds: kills land before, during and after it.
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		stop(syscall.SIGKILL)
		<-done
		agents, changed := check(t, dbPath)
		t.Logf("trial %d: %d agents", trial, agents)
		if agents != changed || (agents != 0 && agents != 1000) {
			t.Errorf("trial %d: %d agents, %d users changed: an item or the batch was cut in half", trial, agents, changed)
		}
	}
}

// The operator the crash test calls as, created with the binary's engage operator add.
const (
	crashOperator = "crash"
	crashPassword = "crash-password"
)

// start creates the operator, runs the binary on a free loopback port and returns the
// endpoint and a stopper.
func start(t *testing.T, bin, dbPath string) (string, func(os.Signal)) {
	t.Helper()
	add := exec.Command(bin, "operator", "add", "--name", crashOperator, "--role", "ADMINISTRATOR", "--password-stdin", "--db", dbPath)
	add.Stdin = strings.NewReader(crashPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("operator add: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--db", dbPath, "--log-level", "error")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func(sig os.Signal) {
		if !stopped {
			stopped = true
			cmd.Process.Signal(sig)
			cmd.Wait()
		}
	}
	t.Cleanup(func() { stop(syscall.SIGKILL) })
	url := "http://" + addr + "/services/ContactCenter"
	for range 200 {
		if resp, err := http.Get(url + "?wsdl"); err == nil {
			resp.Body.Close()
			return url, stop
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the service did not start:\n%s", stderr.String())
	return "", nil
}

// post sends one SOAP 1.1 request and returns the answer, or "" when the connection broke.
func post(url, op, inner string) string {
	body := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cc="urn:engage:contactcenter:1">` +
		`<soapenv:Body><cc:` + op + `>` + inner + `</cc:` + op + `></soapenv:Body></soapenv:Envelope>`
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return ""
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.SetBasicAuth(crashOperator, crashPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return out.String()
}

// setUp creates an Enterprise, an Account acct, an agent group ag and 1,000 AGENT users.
func setUp(t *testing.T, url string) {
	t.Helper()
	var users strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&users, "<cc:users><cc:externalId>user%04d</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent></cc:users>", i)
	}
	for _, call := range [][2]string{
		{"createOrg", "<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>"},
		{"createOrg", "<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type><cc:parent><cc:externalId>ent</cc:externalId></cc:parent></cc:org>"},
		{"createAgentGroup", "<cc:agentGroup><cc:externalId>ag</cc:externalId></cc:agentGroup><cc:parent><cc:externalId>acct</cc:externalId></cc:parent>"},
		{"createUsers", users.String()},
	} {
		if answer := post(url, call[0], call[1]); !strings.Contains(answer, call[0]+"Response") || strings.Contains(answer, "<warning>") {
			t.Fatalf("%s: %s", call[0], answer)
		}
	}
}

// check opens the database the killed process left, checks its integrity, and counts the
// agents and the users the batch changed.
func check(t *testing.T, dbPath string) (agents, changed int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var integrity string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM agents").Scan(&agents); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE attributes LIKE '%SIP%'`).Scan(&changed); err != nil {
		t.Fatal(err)
	}
	return agents, changed
}
