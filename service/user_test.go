package service_test

import (
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// user writes a createUsers item in Account acct; extra is more of its XML.
func user(externalID, acct string, extra ...string) string {
	return el("users", append([]string{xid(externalID), el("parent", xid(acct))}, extra...)...)
}

// attr writes a user attribute.
func attr(name, value string) string { return el("attribute", el("name", name), el("value", value)) }

func TestCreateUsers(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()

	t.Run("defaults", func(t *testing.T) {
		e.t = t
		r := e.call("createUsers", user("plain", "acct")).result()
		wantTags(t, r, "internalId externalId parent type firstName lastName email loginEnabled")
		wantFields(t, r, "externalId", "plain", "parent/internalId", w.account, "parent/externalId", "acct",
			"parent/type", "ACCOUNT", "type", "AGENT", "firstName", "", "lastName", "", "email", "", "loginEnabled", "true")
	})
	t.Run("every field", func(t *testing.T) {
		e.t = t
		r := e.call("createUsers", el("users", xid("full"), el("parent", iid(w.account)), el("type", "SUPERVISOR"),
			el("firstName", "Ada"), el("lastName", "Lovelace"), el("email", "ada@example.com"),
			el("loginEnabled", "0"), attr("registrationMethod", "SIP"), attr("team", "blue"))).result()
		wantTags(t, r, "internalId externalId parent type firstName lastName email loginEnabled attribute attribute")
		wantFields(t, r, "externalId", "full", "parent/internalId", w.account, "type", "SUPERVISOR",
			"firstName", "Ada", "lastName", "Lovelace", "email", "ada@example.com", "loginEnabled", "false",
			"attribute[1]/name", "registrationMethod", "attribute[1]/value", "SIP",
			"attribute[2]/name", "team", "attribute[2]/value", "blue")
		shown := e.call("showUser", el("user", iid(text(r, "internalId")))).result()
		if got, want := xmlString(t, shown), xmlString(t, r); got != want {
			t.Errorf("showUser: want %s, got %s", want, got)
		}
	})
	e.t = t

	// Each bad item fails alone, between two good ones, with its index.
	items := []struct{ name, item, code, arg string }{
		{"no externalId", el("users", el("parent", xid("acct"))), "ATTRIBUTE_NULL", "externalId"},
		{"no parent", el("users", xid("np")), "ATTRIBUTE_NULL", "parent"},
		{"invalid char", user("a b", "acct"), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", user(long, "acct"), "ARG_TOO_LARGE", "externalId"},
		{"parent is an enterprise", user("pe", "ent"), "ARG_INVALID_TYPE", "parent"},
		{"parent is a group", el("users", xid("pg"), el("parent", iid(w.group))), "ARG_INVALID_TYPE", "parent"},
		{"parent not exists", user("pn", "nope"), "OBJECT_NOT_EXISTS", "nope"},
		{"unknown type", user("ut", "acct", el("type", "BOSS")), "ATTRIBUTE_INVALID_DATA", "type"},
		{"loginEnabled maybe", user("le", "acct", el("loginEnabled", "maybe")), "ATTRIBUTE_INVALID_DATA", "loginEnabled"},
		{"firstName too long", user("fn", "acct", el("firstName", longText)), "ATTRIBUTE_INVALID_DATA", "firstName"},
		{"malformed email", user("em", "acct", el("email", "nobody")), "ATTRIBUTE_INVALID_DATA", "email"},
		{"unknown registrationMethod", user("rm", "acct", attr("registrationMethod", "FAX")), "ATTRIBUTE_INVALID_DATA", "registrationMethod"},
		{"attribute twice", user("at", "acct", attr("team", "a"), attr("team", "b")), "ATTRIBUTE_INVALID_DATA", "team"},
		{"attribute without name", user("an", "acct", attr("", "x")), "ATTRIBUTE_NULL", "attribute"},
		{"user exists", user("u1", "acct"), "OBJECT_EXISTS", "u1"},
	}
	for i, c := range items {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			before, after := "good"+string(rune('a'+i)), "good"+string(rune('A'+i))
			r := e.call("createUsers", user(before, "acct")+c.item+user(after, "acct"))
			res := r.results()
			if len(res) != 2 || text(res[0], "externalId") != before || text(res[1], "externalId") != after {
				t.Errorf("want results %s and %s, got %s", before, after, r.raw)
			}
			r.wantWarnings(warning{Index: 1, Code: c.code, Argument: c.arg})
		})
	}
	e.t = t

	wantFaults(t, e, "createUsers", []faultCase{{"no users", "", "ARG_NULL", "users"}})
}

func TestCreateUsersPartial(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ItemsPerCall = 3 })
	e.mustEnterprise("ent")
	e.mustAccount("ent", "acct")

	r := e.call("createUsers", user("a", "acct")+user("bad", "acct", el("type", "BOSS"))+user("c", "acct"))
	res := r.results()
	if len(res) != 2 || text(res[0], "externalId") != "a" || text(res[1], "externalId") != "c" {
		t.Fatalf("want results a, c in request order, got %s", r.raw)
	}
	r.wantWarnings(warning{Index: 1, Code: "ATTRIBUTE_INVALID_DATA", Argument: "type"})
	e.call("showUser", el("user", xid("a"))).result()
	e.call("showUser", el("user", xid("bad"))).fault("OBJECT_NOT_EXISTS", "bad")

	// A second identical batch creates nothing.
	batch := user("x1", "acct") + user("x2", "acct") + user("x3", "acct")
	if n := len(e.call("createUsers", batch).results()); n != 3 {
		t.Fatalf("first batch: %d results", n)
	}
	r = e.call("createUsers", batch)
	if n := len(r.results()); n != 0 {
		t.Errorf("second batch: %d results", n)
	}
	r.wantWarnings(warning{0, "OBJECT_EXISTS", "", "x1"}, warning{1, "OBJECT_EXISTS", "", "x2"}, warning{2, "OBJECT_EXISTS", "", "x3"})

	// The same user twice in a batch: the second is taken.
	r = e.call("createUsers", user("d", "acct")+user("d", "acct"))
	if res := r.results(); len(res) != 1 || text(res[0], "externalId") != "d" {
		t.Errorf("want one result d, got %s", r.raw)
	}
	r.wantWarnings(warning{1, "OBJECT_EXISTS", "", "d"})
	e.call("deleteUsers", el("users", xid("d"))+el("users", xid("d"))).wantWarnings(warning{1, "OBJECT_NOT_EXISTS", "", "d"})

	e.call("createUsers", batch+user("x4", "acct")).fault("ARG_TOO_LARGE", "users")
	e.call("showUser", el("user", xid("x4"))).fault("OBJECT_NOT_EXISTS", "x4")
}

func TestShowUser(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustAccount("ent", "acct2")
	other := e.mustUsers("acct2", "SUPERVISOR", "u1")[0]
	for _, c := range []struct{ name, inner, id string }{
		{"by internalId", iid(w.users[1]), w.users[1]},
		{"by internalId and externalId", iid(w.users[1]) + xid("u2"), w.users[1]},
		{"by externalId", xid("u2"), w.users[1]},
		{"by externalId and parent", xid("u1") + el("parent", xid("acct2")), other},
		{"by externalId and parent internalId", xid("u1") + el("parent", iid(w.account)), w.users[0]},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			wantFields(t, e.call("showUser", el("user", c.inner)).result(), "internalId", c.id)
		})
	}
	e.t = t
	r := e.call("showUser", el("user", xid("u1"), el("parent", xid("acct2")))).result()
	wantTags(t, r, "internalId externalId parent type firstName lastName email loginEnabled")
	wantFields(t, r, "externalId", "u1", "parent/internalId", text(e.call("showOrg", orgRef(xid("acct2"))).result(), "internalId"),
		"parent/externalId", "acct2", "parent/type", "ACCOUNT", "type", "SUPERVISOR", "loginEnabled", "true")

	cases := []faultCase{{"no user", "", "ARG_NULL", "user"}}
	for _, c := range userRefCases(w) {
		cases = append(cases, faultCase{c.name, el("user", c.inner), c.code, c.arg})
	}
	wantFaults(t, e, "showUser", cases)
}

// userRefCases are bad user references (the content of the reference element) and the code
// each gives, common to showUser and deleteUsers.
func userRefCases(w world) []faultCase {
	return []faultCase{
		{"no id", "", "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", xid("u 1"), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", xid(long), "ARG_TOO_LARGE", "externalId"},
		{"internalId of a group", iid(w.group), "ARG_INVALID_TYPE", "user"},
		{"parent is an enterprise", xid("u1") + el("parent", xid("ent")), "ARG_INVALID_TYPE", "parent"},
		{"ids name different users", iid(w.users[1]) + xid("u3"), "ARG_INVALID_DATA", "u3"},
		{"ambiguous externalId", xid("u1"), "ARG_NULL", "parent"},
		{"bad internalId", iid("bad"), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown internalId", iid("usr-999"), "OBJECT_NOT_EXISTS", "usr-999"},
		{"unknown externalId", xid("nope"), "OBJECT_NOT_EXISTS", "nope"},
		{"unknown parent", xid("u1") + el("parent", xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
	}
}

func TestDeleteUsers(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ItemsPerCall = 4 })
	w := e.mustWorld()
	e.call("createAgents", el("agents", xid("u2"))+el("agentGroup", iid(w.group))).result()

	u := func(inner ...string) string { return el("users", inner...) }
	r := e.call("deleteUsers", u(xid("u1"))+u(xid("nope"))+u(iid(w.users[1]))+u(xid("u3"), el("parent", xid("acct"))))
	if len(r.results()) != 0 {
		t.Errorf("deleteUsers: want no results, got %s", r.raw)
	}
	r.wantWarnings(warning{1, "OBJECT_NOT_EXISTS", "", "nope"}, warning{2, "INVALID_STATE", "", "u2"})
	e.call("showUser", el("user", xid("u1"))).fault("OBJECT_NOT_EXISTS", "u1")
	e.call("showUser", el("user", iid(w.users[2]))).fault("OBJECT_NOT_EXISTS", w.users[2])
	e.call("showUser", el("user", xid("u2"))).result()

	// Again: nothing left to delete but the agent.
	e.call("deleteUsers", u(xid("u1"))+u(xid("u3"))).wantWarnings(
		warning{0, "OBJECT_NOT_EXISTS", "", "u1"}, warning{1, "OBJECT_NOT_EXISTS", "", "u3"})

	// Ids are never reused.
	again := e.mustUsers("acct", "", "u1")[0]
	if again == w.users[0] || again == "" {
		t.Errorf("recreated user has internalId %q", again)
	}

	e.mustAccount("ent", "acct2")
	e.mustUsers("acct2", "", "u1")
	for _, c := range userRefCases(w) {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.call("deleteUsers", u(c.inner)).wantWarnings(warning{Index: 0, Code: c.code, Argument: c.arg})
		})
	}
	e.t = t
	wantFaults(t, e, "deleteUsers", []faultCase{
		{"no users", "", "ARG_NULL", "users"},
		{"too many users", u(xid("a")) + u(xid("b")) + u(xid("c")) + u(xid("d")) + u(xid("e")), "ARG_TOO_LARGE", "users"},
	})
}

func TestUserSOAP12(t *testing.T) {
	e := newEnv(t)
	e.soap12 = true
	w := e.mustWorld()
	wantFields(t, e.call("showUser", el("user", iid(w.users[0]))).result(), "externalId", "u1", "type", "AGENT")
	e.call("showUser", el("user", xid("nope"))).fault("OBJECT_NOT_EXISTS", "nope")
	e.call("createUsers", user("u1", "acct")).wantWarnings(warning{0, "OBJECT_EXISTS", "", "u1"})
	e.call("createUsers", "").fault("ARG_NULL", "users")
	e.call("deleteUsers", el("users", xid("u1"))+el("users", xid("nope"))).wantWarnings(warning{1, "OBJECT_NOT_EXISTS", "", "nope"})
	e.call("deleteUsers", "").fault("ARG_NULL", "users")
}
