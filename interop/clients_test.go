package interop_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// python is Debian's interpreter, which python3-zeep and python3-suds belong to; another
// python3 may come first on PATH.
const python = "/usr/bin/python3"

// clientTimeout bounds one client's whole run, code generation and compilation included.
const clientTimeout = 3 * time.Minute

// scenarioOps are the calls every client's scenario makes, in order; the last two fault: a
// missing agent group, and a call with a wrong password.
var scenarioOps = []string{
	"createOrg", "createOrg", "createUsers", "createAgentGroup", "createScheduleGroup",
	"createAgents", "createAgentsUsingString", "changeAgentState", "acquireAgent",
	"releaseAgent", "showAgentGroup", "showOrg",
}

// need fails the test, saying what to install, when a client's tool is missing. The tools are
// part of what the tests need: .ci/run installs them.
func need(t *testing.T, install string, cmd ...string) {
	t.Helper()
	if out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s is needed for this test (%v: %s)\ninstall it with: %s (.ci/run does)",
			strings.Join(cmd, " "), err, strings.TrimSpace(string(out)), install)
	}
}

// runClient runs a client's scenario in dir, fails the test unless it exits 0 having printed
// PASS, and shows its output either way.
func runClient(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "\nPASS\n") {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s\n%s", filepath.Base(name), out)
}

// checkScenario checks a client's exchanges on the wire and that they were the scenario's
// calls, with its two faults.
func checkScenario(t *testing.T, s *server, want wire) {
	t.Helper()
	calls := checkWire(t, s.rec.calls(), want)
	var ops, faults []string
	for _, c := range calls {
		ops = append(ops, c.op)
		if c.fault != "" {
			faults = append(faults, c.op+" "+c.fault)
		}
	}
	t.Logf("%d calls on the wire, each response and fault checked against the XSD", len(calls))
	if !slices.Equal(ops, scenarioOps) {
		t.Errorf("calls on the wire %q, want %q", ops, scenarioOps)
	}
	if want := []string{"showAgentGroup OBJECT_NOT_EXISTS", "showOrg AUTHENTICATION_FAILED"}; !slices.Equal(faults, want) {
		t.Errorf("faults on the wire %q, want %q", faults, want)
	}
}

// TestZeep runs the scenario with Python zeep on the SOAP 1.1 and the SOAP 1.2 port, with a
// WS-Security UsernameToken.
func TestZeep(t *testing.T) {
	need(t, "apt-get install python3-zeep", python, "-c", "import zeep")
	for _, version := range []string{"1.1", "1.2"} {
		t.Run("SOAP"+version, func(t *testing.T) {
			s := startServer(t)
			runClient(t, "clients/zeep", python, "scenario.py", s.wsdl, version, "zeep-", operatorName, operatorPassword)
			checkScenario(t, s, wire{soap12: version == "1.2"})
		})
	}
}

// TestSuds runs the scenario with Python suds (SOAP 1.1 only), with its WS-Security
// UsernameToken.
func TestSuds(t *testing.T) {
	need(t, "apt-get install python3-suds", python, "-c", "import suds")
	s := startServer(t)
	runClient(t, "clients/suds", python, "scenario.py", s.wsdl, "suds-", operatorName, operatorPassword)
	checkScenario(t, s, wire{})
}

// TestNodeSoap runs the scenario with the npm soap package on the SOAP 1.1 and the SOAP 1.2
// port, with its WSSecurity.
func TestNodeSoap(t *testing.T) {
	need(t, "apt-get install nodejs", "node", "--version")
	if _, err := os.Stat("clients/node/node_modules/soap/package.json"); err != nil {
		t.Fatalf("the npm soap package is needed for this test (%v)\ninstall it with: (cd interop/clients/node && npm ci) (.ci/run does)", err)
	}
	for _, version := range []string{"1.1", "1.2"} {
		t.Run("SOAP"+version, func(t *testing.T) {
			s := startServer(t)
			runClient(t, "clients/node", "node", "scenario.js", s.wsdl, version, "node-", operatorName, operatorPassword)
			checkScenario(t, s, wire{soap12: version == "1.2"})
		})
	}
}
