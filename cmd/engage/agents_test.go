package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hooklift/gowsdl/soap"

	"github.com/engage-oss/engage/generated"
)

const (
	importOperator = "importer"
	importPassword = "import-test-password-1"
)

// agentsWorld is a running engage serve holding an Enterprise, an Account acct with users
// u01..u12, and agent groups g1 and g2 each with a schedule group day.
type agentsWorld struct {
	endpoint string
	cc       generated.ContactCenterPortType
	dir      string
}

// newAgentsWorld starts engage serve on a new database with an ADMINISTRATOR operator
// added by engage operator add, creates the data through the generated client, and points
// ENGAGE_URL, ENGAGE_USER and ENGAGE_PASSWORD at it.
func newAgentsWorld(t *testing.T) *agentsWorld {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "engage.db")
	if err := run(context.Background(), []string{"operator", "add", "--db", db, "--name", importOperator, "--role", "ADMINISTRATOR", "--password-stdin"},
		strings.NewReader(importPassword+"\n"), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("operator add: %v", err)
	}
	wsdlURL, _, _ := startServe(t, "--db", db)
	w := &agentsWorld{endpoint: strings.TrimSuffix(wsdlURL, "?wsdl"), dir: dir}
	w.cc = generated.NewContactCenterPortType(soap.NewClient(w.endpoint, soap.WithBasicAuth(importOperator, importPassword)))
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	_, err := w.cc.CreateOrg(&generated.CreateOrg{Org: &generated.Org{ExternalId: "ent", Type_: ptrTo(generated.OrgTypeENTERPRISE), Name: "Ent"}})
	must("createOrg ENTERPRISE", err)
	_, err = w.cc.CreateOrg(&generated.CreateOrg{Org: &generated.Org{ExternalId: "acct", Type_: ptrTo(generated.OrgTypeACCOUNT), Parent: &generated.Org{ExternalId: "ent"}}})
	must("createOrg ACCOUNT", err)
	acct := &generated.Org{ExternalId: "acct"}
	var users []*generated.User
	for i := 1; i <= 12; i++ {
		users = append(users, &generated.User{ExternalId: fmt.Sprintf("u%02d", i), Parent: acct, FirstName: "User", LastName: fmt.Sprint(i)})
	}
	_, err = w.cc.CreateUsers(&generated.CreateUsers{Users: users})
	must("createUsers", err)
	for _, g := range []string{"g1", "g2"} {
		res, err := w.cc.CreateAgentGroup(&generated.CreateAgentGroup{AgentGroup: &generated.AgentGroup{ExternalId: g, Name: g}, Parent: acct})
		must("createAgentGroup "+g, err)
		_, err = w.cc.CreateScheduleGroup(&generated.CreateScheduleGroup{ScheduleGroup: &generated.ScheduleGroup{ExternalId: "day", Name: "Day"},
			Parent: &generated.AgentGroup{InternalId: res.Result.InternalId}})
		must("createScheduleGroup "+g, err)
	}
	t.Setenv("ENGAGE_URL", w.endpoint)
	t.Setenv("ENGAGE_USER", importOperator)
	t.Setenv("ENGAGE_PASSWORD", importPassword)
	return w
}

// file writes content to a new file of the world's directory and returns its path.
func (w *agentsWorld) file(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runAgents runs engage agents with args and returns its stdout, stderr and exit status.
func runAgents(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"agents"}, args...), strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		stderr.WriteString("engage: " + err.Error() + "\n")
	}
	return stdout.String(), stderr.String(), exitCode(err)
}

// readFile returns a file's content.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mixedAgents has good records (lines 3, 5, 9) and bad ones: an unknown user (6), a bad
// phone number (7) and a malformed record (8).
const mixedAgents = `# agents of the test
userExternalId,currentPhoneNumber,registrationMethod,loginEnabled,scheduleGroupExternalId
u01,+15550100001

u02,,SIP,,day
nobody
u03,12345
u04"x
u05,+15550100005,,false
`

// TestAgentsImportMixed imports good and bad records in chunks of 2, then the same file
// again: the report names each failure at its file line, and the second run finds the good
// ones already present.
func TestAgentsImportMixed(t *testing.T) {
	w := newAgentsWorld(t)
	in := w.file(t, "agents.csv", mixedAgents)
	report := filepath.Join(w.dir, "report.csv")
	stdout, stderr, code := runAgents(t, "import", "--file", in, "--agent-group", "g1", "--parent", "acct", "--report", report, "--chunk", "2")
	if code != 1 || !strings.Contains(stdout, "6 agent records: 3 created, 0 already present, 3 failed") ||
		!strings.Contains(stderr, "3 of 6 agent records failed (see "+report+")") {
		t.Fatalf("first import: exit %d\n%s%s", code, stdout, stderr)
	}
	want := `line,code,message,outcome
8,ARG_INVALID_DATA,"malformed CSV record: bare "" in non-quoted-field",failed
6,OBJECT_NOT_EXISTS,Referenced object 'nobody' does not exist,failed
7,ARG_INVALID_DATA,Invalid Data 'currentPhoneNumber',failed
`
	if got := readFile(t, report); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(stderr, "engage: chunk "); n != 3 {
		t.Errorf("%d progress lines, want 3:\n%s", n, stderr)
	}

	stdout, stderr, code = runAgents(t, "import", "--file", in, "--agent-group", "g1", "--parent", "acct", "--report", report, "--chunk", "2")
	if code != 1 || !strings.Contains(stdout, "6 agent records: 0 created, 3 already present, 3 failed") {
		t.Fatalf("second import: exit %d\n%s%s", code, stdout, stderr)
	}
	got := readFile(t, report)
	for _, row := range []string{"3,OBJECT_EXISTS,Object 'u01' already exists,already present", "5,OBJECT_EXISTS,Object 'u02' already exists,already present",
		"9,OBJECT_EXISTS,Object 'u05' already exists,already present", "6,OBJECT_NOT_EXISTS"} {
		if !strings.Contains(got, row) {
			t.Errorf("second report lacks %q:\n%s", row, got)
		}
	}
}

// fiveAgents are five good records.
const fiveAgents = "u06\nu07,+15550100007\nu08,,PHONE\nu09,,,false\nu10,,,,day\n"

// TestAgentsImportChunksResume imports five records in chunks of two (three calls), then
// again: everything is OBJECT_EXISTS, which is success, and nothing new is created.
func TestAgentsImportChunksResume(t *testing.T) {
	w := newAgentsWorld(t)
	in := w.file(t, "five.csv", fiveAgents)
	stdout, stderr, code := runAgents(t, "import", "--file", in, "--agent-group", "g2", "--chunk", "2")
	if code != 0 || !strings.Contains(stdout, "5 agent records: 5 created, 0 already present, 0 failed") {
		t.Fatalf("first import: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, line := range []string{"chunk 1/3 sent (lines 1 to 2)", "chunk 2/3 sent (lines 3 to 4)", "chunk 3/3 sent (lines 5 to 5)"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("progress lacks %q:\n%s", line, stderr)
		}
	}
	stdout, stderr, code = runAgents(t, "import", "--file", in, "--agent-group", "g2", "--chunk", "2", "--report", filepath.Join(w.dir, "r.csv"))
	if code != 0 || !strings.Contains(stdout, "5 agent records: 0 created, 5 already present, 0 failed") {
		t.Fatalf("second import: exit %d\n%s%s", code, stdout, stderr)
	}
	res, err := w.cc.ListAgentStatesUsingEntity(&generated.ListAgentStatesUsingEntity{BaseEntity: &generated.BaseEntity{ExternalId: "g2", Type_: ptrTo(generated.EntityTypeAGENT_GROUP)}})
	if err != nil || len(res.Result) != 5 {
		t.Fatalf("g2 after two imports: %v, %d agents", err, len(res.Result))
	}
}

// TestAgentsExportRoundTrip exports an agent group, moves its agents to another group by
// deleting them and importing the export there, and exports that group: the same records.
func TestAgentsExportRoundTrip(t *testing.T) {
	w := newAgentsWorld(t)
	in := w.file(t, "in.csv", "u01,+15550100001\nu02,,SIP,,day\nu03,,WEBRTC,false\n\"u04\",\"+15550100004\",PHONE,true,\"day\"\n")
	if stdout, stderr, code := runAgents(t, "import", "--file", in, "--agent-group", "g1"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	first := filepath.Join(w.dir, "g1.csv")
	if stdout, stderr, code := runAgents(t, "export", "--agent-group", "g1", "--parent", "acct", "--out", first); code != 0 || !strings.Contains(stdout, "4 agents") {
		t.Fatalf("export g1: exit %d\n%s%s", code, stdout, stderr)
	}
	exported := readFile(t, first)
	want := "userExternalId,currentPhoneNumber,registrationMethod,loginEnabled,scheduleGroupExternalId\n" +
		"u01,+15550100001,,true,\nu02,,SIP,true,day\nu03,,WEBRTC,false,\nu04,+15550100004,PHONE,true,day\n"
	if sortedLines(exported) != sortedLines(want) {
		t.Fatalf("export:\n%s\nwant:\n%s", exported, want)
	}
	var users []*generated.User
	for _, id := range []string{"u01", "u02", "u03", "u04"} {
		users = append(users, &generated.User{ExternalId: id, Parent: &generated.Org{ExternalId: "acct"}})
	}
	if _, err := w.cc.DeleteAgents(&generated.DeleteAgents{Agents: users}); err != nil {
		t.Fatalf("deleteAgents: %v", err)
	}
	if stdout, stderr, code := runAgents(t, "import", "--file", first, "--agent-group", "g2"); code != 0 || !strings.Contains(stdout, "4 created") {
		t.Fatalf("import of the export: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code := runAgents(t, "export", "--agent-group", "g2")
	if code != 0 || sortedLines(stdout) != sortedLines(exported) {
		t.Fatalf("export g2: exit %d\n%s\nwant:\n%s%s", code, stdout, exported, stderr)
	}
}

// sortedLines returns s's lines, sorted: a list's order is not the contract's.
func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestAgentsImportGroupFault imports into an agent group that does not exist: the first
// chunk faults as a whole and the import stops with the fault's code.
func TestAgentsImportGroupFault(t *testing.T) {
	w := newAgentsWorld(t)
	in := w.file(t, "five.csv", fiveAgents)
	_, stderr, code := runAgents(t, "import", "--file", in, "--agent-group", "nope", "--chunk", "2")
	if code != 1 || !strings.Contains(stderr, "chunk 1 of 3 (lines 1 to 2), the import stops") || !strings.Contains(stderr, "OBJECT_NOT_EXISTS") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	_, stderr, code = runAgents(t, "export", "--agent-group", "nope")
	if code != 1 || !strings.Contains(stderr, "OBJECT_NOT_EXISTS") {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
}

// TestAgentsCredentials checks that missing credentials are a clear usage error before any
// call, and that refused ones say so.
func TestAgentsCredentials(t *testing.T) {
	w := newAgentsWorld(t)
	in := w.file(t, "five.csv", fiveAgents)
	t.Setenv("ENGAGE_PASSWORD", "")
	os.Unsetenv("ENGAGE_PASSWORD")
	if _, stderr, code := runAgents(t, "import", "--file", in, "--agent-group", "g1"); code != 2 || !strings.Contains(stderr, "no password: set ENGAGE_PASSWORD or pass --password-stdin") {
		t.Errorf("no password: exit %d\n%s", code, stderr)
	}
	t.Setenv("ENGAGE_URL", "")
	if _, stderr, code := runAgents(t, "export", "--agent-group", "g1"); code != 2 || !strings.Contains(stderr, "no service URL: pass --url or set ENGAGE_URL") {
		t.Errorf("no URL: exit %d\n%s", code, stderr)
	}
	t.Setenv("ENGAGE_PASSWORD", "wrong-password-123")
	if _, stderr, code := runAgents(t, "export", "--url", w.endpoint, "--agent-group", "g1"); code != 1 || !strings.Contains(stderr, "refused the credentials of operator "+importOperator) {
		t.Errorf("wrong password: exit %d\n%s", code, stderr)
	}
}
