package service_test

import (
	"strings"
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// agentsParam writes the agents string parameter; carriage returns and tabs go as character
// references so that the XML parser keeps them.
func agentsParam(s string) string {
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#13;", "\t", "&#9;").Replace(s)
	return "<cc:agents>" + s + "</cc:agents>"
}

func TestCreateAgentsUsingString(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustUsers("acct", "", "u4", "u5")
	e.mustUsers("acct", "SUPERVISOR", "sup")
	agents := "userExternalId,currentPhoneNumber,registrationMethod,loginEnabled,scheduleGroupExternalId\r\n" +
		"# exported from the CRM\r\n" +
		"u1,+15551230001,SIP,true,sg\r\n" + // 0
		"\r\n" +
		"zz\r\n" + // 1
		"\"u 2\"\r\n" + // 2
		"u2,+15551230001\r\n" + // 3: u1's phone number
		"\"u3\",,\"WEBRTC\",false\r\n" + // 4
		"sup\r\n" + // 5
		"u4,,,,nosg\r\n" + // 6
		"\"u\t5\"\n" + // 7
		"u5,555\n" + // 8
		"u5,,FAX\n" + // 9
		"u5,,,yes\n" + // 10
		"u5,,,,sg,extra\n" + // 11
		"u\"5\n" + // 12
		"u5\n" // 13
	r := e.call("createAgentsUsingString", agentsParam(agents)+groupRef(w.group))
	results := r.results()
	if got := agentUsers(results); !equal(got, []string{"u1", "u3", "u5"}) {
		t.Fatalf("results %v, want u1 u3 u5\n%s", got, r.raw)
	}
	r.wantWarnings(
		warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "zz"},
		warning{Index: 2, Code: "ARG_INVALID_CHAR", Argument: "userExternalId"},
		warning{Index: 3, Code: "OBJECT_EXISTS", Argument: "+15551230001"},
		warning{Index: 5, Code: "INVALID_OBJECT_TYPE", Argument: "sup"},
		warning{Index: 6, Code: "OBJECT_NOT_EXISTS", Argument: "nosg"},
		warning{Index: 7, Code: "ARG_INVALID_CHAR", Argument: "userExternalId"},
		warning{Index: 8, Code: "ARG_INVALID_DATA", Argument: "currentPhoneNumber"},
		warning{Index: 9, Code: "ARG_INVALID_DATA", Argument: "registrationMethod"},
		warning{Index: 10, Code: "ARG_INVALID_DATA", Argument: "loginEnabled"},
		warning{Index: 11, Code: "ARG_INVALID_DATA", Argument: "agents"},
		warning{Index: 12, Code: "ARG_INVALID_DATA", Argument: "agents"},
	)
	u1, u3 := results[0], results[1]
	if text(u1, "currentPhoneNumber") != "+15551230001" || text(u1, "currentScheduleGroup/internalId") != w.schedule ||
		text(u1, "agent/attribute[name='registrationMethod']/value") != "SIP" || text(u1, "currentWorkState") != "NOT_READY" {
		t.Errorf("u1's record not applied: %s", r.raw)
	}
	if text(u3, "agent/loginEnabled") != "false" || text(u3, "currentWorkState") != "LOGGED_OUT" ||
		text(u3, "agent/attribute[name='registrationMethod']/value") != "WEBRTC" {
		t.Errorf("u3's record not applied: %s", r.raw)
	}
	// A failed record changed nothing: u2 and u4 are no agents, u4 kept its attributes.
	if got := e.listGroup(w.group); !equal(got, []string{"u1", "u3", "u5"}) {
		t.Errorf("agents: %v", got)
	}
}

// TestCreateAgentsUsingStringTwice sends the same string twice: the second time creates
// nothing and warns OBJECT_EXISTS for each record.
func TestCreateAgentsUsingStringTwice(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	param := agentsParam("userExternalId\nu1,+15551230001\n# c\nu2\nu3,,PHONE\n") + groupRef(w.group)
	first := e.call("createAgentsUsingString", param)
	if got := agentUsers(first.results()); !equal(got, []string{"u1", "u2", "u3"}) {
		t.Fatalf("first call: %v", got)
	}
	first.wantWarnings()
	second := e.call("createAgentsUsingString", param)
	if n := len(second.results()); n != 0 {
		t.Errorf("second call created %d agents", n)
	}
	second.wantWarnings(
		warning{Index: 0, Code: "OBJECT_EXISTS", Argument: "u1"},
		warning{Index: 1, Code: "OBJECT_EXISTS", Argument: "u2"},
		warning{Index: 2, Code: "OBJECT_EXISTS", Argument: "u3"},
	)
	if got := e.listGroup(w.group); len(got) != 3 {
		t.Errorf("agents after the second call: %v", got)
	}
}

func TestCreateAgentsUsingStringFaults(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	g := groupRef(w.group)
	for _, soap12 := range []bool{false, true} {
		e.soap12 = soap12
		e.call("createAgentsUsingString", g).fault("ARG_NULL", "agents")
		e.call("createAgentsUsingString", agentsParam("# nothing\n\n  \n")+g).fault("ARG_NULL", "agents")
		e.call("createAgentsUsingString", agentsParam("userExternalId\n")+g).fault("ARG_NULL", "agents")
		e.call("createAgentsUsingString", agentsParam("u1")).fault("ARG_NULL", "agentGroup")
		e.call("createAgentsUsingString", agentsParam("u1")+groupRef(w.schedule)).fault("ARG_INVALID_TYPE", "agentGroup")
		e.call("createAgentsUsingString", agentsParam("u1")+"<cc:agentGroup><cc:externalId>nope</cc:externalId></cc:agentGroup>").fault("OBJECT_NOT_EXISTS", "nope")
		e.call("createAgentsUsingString", agentsParam("u1")+"<cc:agentGroup><cc:externalId>a g</cc:externalId></cc:agentGroup>").fault("ARG_INVALID_CHAR", "externalId")
		e.call("createAgentsUsingString", agentsParam("u1")+g+"<cc:initialState><cc:currentWorkState>ASLEEP</cc:currentWorkState></cc:initialState>").fault("ARG_INVALID_DATA", "currentWorkState")
		// Over 100,000 bytes (the default), even if all comment.
		e.call("createAgentsUsingString", agentsParam("u1\n#"+strings.Repeat("x", 100000-3))+g).fault("ARG_TOO_LARGE", "agents")
		// Over 1,000 records (the default per-call limit).
		e.call("createAgentsUsingString", agentsParam(strings.Repeat("zz\n", 1001))+g).fault("ARG_TOO_LARGE", "agents")
	}
	if got := e.listGroup(w.group); len(got) != 0 {
		t.Fatalf("failed calls created agents %v", got)
	}
	// 100,000 bytes and 1,000 records are allowed.
	r := e.call("createAgentsUsingString", agentsParam("u1\n#"+strings.Repeat("x", 100000-5)+"\n")+g)
	if got := agentUsers(r.results()); !equal(got, []string{"u1"}) {
		t.Errorf("100,000 bytes: %v", got)
	}
	r = e.call("createAgentsUsingString", agentsParam("u2\n"+strings.Repeat("zz\n", 999))+g)
	if got := agentUsers(r.results()); !equal(got, []string{"u2"}) || len(r.warnings()) != 999 {
		t.Errorf("1,000 records: %v and %d warnings", got, len(r.warnings()))
	}
}

func TestCreateAgentsUsingStringLimits(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) {
		l.AgentsStringBytes = 20
		l.ItemsPerCall = 3
	})
	w := e.mustWorld()
	g := groupRef(w.group)
	e.call("createAgentsUsingString", agentsParam("u1\nu2\n#"+strings.Repeat("x", 21-7))+g).fault("ARG_TOO_LARGE", "agents")
	e.call("createAgentsUsingString", agentsParam("u1\nu2\nu3\nzz")+g).fault("ARG_TOO_LARGE", "agents")
	// Exactly 20 bytes and 3 records, the header and comments not counted as records.
	r := e.call("createAgentsUsingString", agentsParam("#\nu1\nu2\nu3\n#"+strings.Repeat("x", 20-12))+g)
	if got := agentUsers(r.results()); !equal(got, []string{"u1", "u2", "u3"}) {
		t.Errorf("at the limits: %v", got)
	}
}
