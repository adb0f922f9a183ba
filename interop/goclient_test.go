package interop_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hooklift/gowsdl/soap"

	"github.com/engage-oss/engage/generated"
	"github.com/engage-oss/engage/internal/goclient"
)

// ptr returns a pointer to v, for the generated types' optional enumerations.
func ptr[T any](v T) *T { return &v }

// expect fails the test at the first answer that differs from the expected one.
func expect(t *testing.T, step string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: got %#v, want %#v", step, got, want)
	}
	t.Logf("ok   %s: %v", step, got)
}

// TestGeneratedClient runs the scenario with the Go client gowsdl generates (generated/,
// SOAP 1.1), authenticating with HTTP Basic, and a call with a wrong password.
func TestGeneratedClient(t *testing.T) {
	s := startServer(t)
	t.Run("generated from the served WSDL", func(t *testing.T) {
		// generated/ is made from wsdl/ (make generate); the WSDL the service publishes, with
		// the schema it imports by URL, must give the same client.
		dir := t.TempDir()
		cmd := exec.Command("go", "tool", "gowsdl", "-d", dir, "-p", "generated", "-o", "contactcenter.go", s.wsdl)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gowsdl %s: %v\n%s", s.wsdl, err, out)
		}
		fresh, err := os.ReadFile(filepath.Join(dir, "generated", "contactcenter.go"))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile("../generated/contactcenter.go")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Error("gowsdl makes another client from the served WSDL than generated/ holds")
		}
	})
	cc := generated.NewContactCenterPortType(soap.NewClient(s.endpoint, soap.WithBasicAuth(operatorName, operatorPassword)))
	p := "go-"

	ent, err := cc.CreateOrg(&generated.CreateOrg{Org: &generated.Org{ExternalId: p + "ent", Type_: ptr(generated.OrgTypeENTERPRISE), Name: "Interop"}})
	if err != nil {
		t.Fatalf("createOrg: %v", err)
	}
	expect(t, "createOrg ENTERPRISE type", *ent.Result.Type_, generated.OrgTypeENTERPRISE)
	acct, err := cc.CreateOrg(&generated.CreateOrg{Org: &generated.Org{ExternalId: p + "acct", Type_: ptr(generated.OrgTypeACCOUNT),
		Parent: &generated.Org{ExternalId: p + "ent"}}})
	if err != nil {
		t.Fatalf("createOrg: %v", err)
	}
	expect(t, "createOrg ACCOUNT parent", acct.Result.Parent.ExternalId, p+"ent")
	account := &generated.Org{InternalId: acct.Result.InternalId}

	var newUsers []*generated.User
	for _, id := range []string{"u1", "u2", "u3"} {
		newUsers = append(newUsers, &generated.User{ExternalId: p + id, Parent: account, FirstName: "User", LastName: id})
	}
	users, err := cc.CreateUsers(&generated.CreateUsers{Users: newUsers})
	if err != nil {
		t.Fatalf("createUsers: %v", err)
	}
	var userIDs []string
	for _, u := range users.Result {
		userIDs = append(userIDs, u.ExternalId)
	}
	expect(t, "createUsers results", userIDs, []string{p + "u1", p + "u2", p + "u3"})
	expect(t, "createUsers loginEnabled", users.Result[0].LoginEnabled, true)

	group, err := cc.CreateAgentGroup(&generated.CreateAgentGroup{AgentGroup: &generated.AgentGroup{ExternalId: p + "grp", Name: "Group"}, Parent: account})
	if err != nil {
		t.Fatalf("createAgentGroup: %v", err)
	}
	expect(t, "createAgentGroup initialWorkState", *group.Result.InitialWorkState, generated.WorkStateNOT_READY)
	expect(t, "createAgentGroup intensity", group.Result.Intensity, int32(100))
	ag := &generated.AgentGroup{InternalId: group.Result.InternalId}
	sched, err := cc.CreateScheduleGroup(&generated.CreateScheduleGroup{ScheduleGroup: &generated.ScheduleGroup{ExternalId: p + "sch", Name: "Schedule"}, Parent: ag})
	if err != nil {
		t.Fatalf("createScheduleGroup: %v", err)
	}
	expect(t, "createScheduleGroup parent", sched.Result.Parent.InternalId, ag.InternalId)
	sg := &generated.ScheduleGroup{InternalId: sched.Result.InternalId}

	created, err := cc.CreateAgents(&generated.CreateAgents{
		Agents:       []*generated.User{{ExternalId: p + "u1", Parent: account}, {ExternalId: p + "nobody", Parent: account}},
		AgentGroup:   ag,
		InitialState: &generated.AgentState{CurrentScheduleGroup: sg},
	})
	if err != nil {
		t.Fatalf("createAgents: %v", err)
	}
	expect(t, "createAgents results", len(created.Result), 1)
	expect(t, "createAgents agent", created.Result[0].Agent.ExternalId, p+"u1")
	expect(t, "createAgents warnings", len(created.Warning), 1)
	w := created.Warning[0]
	expect(t, "createAgents warning", []any{w.Index, *w.Code, w.Argument}, []any{int32(1), generated.ErrorCodeOBJECT_NOT_EXISTS, p + "nobody"})
	agent1 := created.Result[0]
	expect(t, "createAgents currentWorkState", *agent1.CurrentWorkState, generated.WorkStateNOT_READY)

	byString, err := cc.CreateAgentsUsingString(&generated.CreateAgentsUsingString{Agents: p + "u2,+15550100002\n" + p + "u3\n", AgentGroup: ag})
	if err != nil {
		t.Fatalf("createAgentsUsingString: %v", err)
	}
	var agents [][2]string
	for _, a := range byString.Result {
		agents = append(agents, [2]string{a.Agent.ExternalId, a.CurrentPhoneNumber})
	}
	expect(t, "createAgentsUsingString results", agents, [][2]string{{p + "u2", "+15550100002"}, {p + "u3", ""}})
	expect(t, "createAgentsUsingString warnings", len(byString.Warning), 0)

	changed, err := cc.ChangeAgentState(&generated.ChangeAgentState{AgentState: &generated.AgentState{InternalId: agent1.InternalId, RequestedWorkState: ptr(generated.WorkStateREADY)}})
	if err != nil {
		t.Fatalf("changeAgentState: %v", err)
	}
	expect(t, "changeAgentState currentWorkState", *changed.Result.CurrentWorkState, generated.WorkStateREADY)

	acquired, err := cc.AcquireAgent(&generated.AcquireAgent{AgentState: &generated.AgentState{
		CurrentScheduleGroup: sg,
		CurrentContactState:  &generated.ContactState{Device: &generated.Device{ExternalId: "+15559870001"}},
	}})
	if err != nil {
		t.Fatalf("acquireAgent: %v", err)
	}
	expect(t, "acquireAgent agent", acquired.Result.Agent.ExternalId, p+"u1")
	expect(t, "acquireAgent contact state", *acquired.Result.CurrentContactState.State, generated.ContactStateValueCONNECTED)
	expect(t, "acquireAgent device", acquired.Result.CurrentContactState.Device.ExternalId, "+15559870001")

	released, err := cc.ReleaseAgent(&generated.ReleaseAgent{AgentState: &generated.AgentState{InternalId: agent1.InternalId}})
	if err != nil {
		t.Fatalf("releaseAgent: %v", err)
	}
	expect(t, "releaseAgent contact state", *released.Result.CurrentContactState.State, generated.ContactStateValueIDLE)
	expect(t, "releaseAgent work state", *released.Result.CurrentWorkState, generated.WorkStateREADY)

	_, err = cc.ShowAgentGroup(&generated.ShowAgentGroup{AgentGroup: &generated.AgentGroup{ExternalId: p + "missing", Parent: account}})
	fault, ok := goclient.EngageFault(err)
	if !ok {
		t.Fatalf("showAgentGroup: want an EngageFault, got %v", err)
	}
	expect(t, "fault code", *fault.Code, generated.ErrorCodeOBJECT_NOT_EXISTS)
	expect(t, "fault message", fault.Message, "Referenced object '"+p+"missing' does not exist")
	expect(t, "fault contextId present", fault.ContextId != "", true)

	intruder := generated.NewContactCenterPortType(soap.NewClient(s.endpoint, soap.WithBasicAuth(operatorName, "wrong-"+operatorPassword)))
	_, err = intruder.ShowOrg(&generated.ShowOrg{Org: account})
	var httpErr *soap.HTTPError
	fault, ok = goclient.EngageFault(err)
	if !errors.As(err, &httpErr) || !ok {
		t.Fatalf("wrong password: want an EngageFault, got %v", err)
	}
	expect(t, "wrong password", []any{httpErr.StatusCode, *fault.Code}, []any{401, generated.ErrorCodeAUTHENTICATION_FAILED})

	checkScenario(t, s, wire{unquotedAction: true, basicAuth: true})
}
