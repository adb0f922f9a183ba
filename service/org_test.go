package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// Helpers shared by the end-to-end tests of orgs, users, agent groups, schedule groups and
// agent group states.

// el writes a request child element of the contract's namespace.
func el(name string, inner ...string) string {
	return "<cc:" + name + ">" + strings.Join(inner, "") + "</cc:" + name + ">"
}

// iid and xid write an internalId and an externalId.
func iid(id string) string { return el("internalId", id) }
func xid(id string) string { return el("externalId", id) }

// long is an externalId one character past the contract's 64.
var long = strings.Repeat("x", 65)

// longText is a text one character past what the service stores.
var longText = strings.Repeat("t", 256)

// absent marks, in wantFields, a field that must not be in the result.
const absent = "\x00absent"

// wantFields asserts the text of each path below el; kv holds path, value pairs.
func wantFields(t testing.TB, el *etree.Element, kv ...string) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		path, want := kv[i], kv[i+1]
		found := el.FindElement(path)
		switch {
		case want == absent && found != nil:
			t.Errorf("%s: want absent, got %q", path, found.Text())
		case want != absent && found == nil:
			t.Errorf("%s: missing, want %q", path, want)
		case want != absent && found.Text() != want:
			t.Errorf("%s: want %q, got %q", path, want, found.Text())
		}
	}
}

// wantTags asserts the names of el's child elements, in order, separated by spaces.
func wantTags(t testing.TB, el *etree.Element, want string) {
	t.Helper()
	var got []string
	for _, c := range el.ChildElements() {
		got = append(got, c.Tag)
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("%s children: want %q, got %q", el.Tag, want, g)
	}
}

// wantCreated asserts that el has a created xs:dateTime in UTC.
func wantCreated(t testing.TB, el *etree.Element) {
	t.Helper()
	c := text(el, "created")
	if _, err := time.Parse(time.RFC3339Nano, c); err != nil || !strings.HasSuffix(c, "Z") {
		t.Errorf("created: want an xs:dateTime in UTC, got %q", c)
	}
}

// faultCase is a call that must fail as a whole with code naming arg.
type faultCase struct {
	name, inner, code, arg string
}

// wantFaults runs each case as a subtest of op.
func wantFaults(t *testing.T, e *env, op string, cases []faultCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			defer func() { e.t = t }()
			e.call(op, c.inner).fault(c.code, c.arg)
		})
	}
	e.t = t
}

// xmlString returns an element as XML text.
func xmlString(t testing.TB, e *etree.Element) string {
	t.Helper()
	doc := etree.NewDocument()
	doc.SetRoot(e.Copy())
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// orgRef writes an org request element naming an org.
func orgRef(inner ...string) string { return el("org", inner...) }

func TestCreateOrg(t *testing.T) {
	e := newEnv(t)
	ent := e.call("createOrg", orgRef(xid("ent"), el("type", "ENTERPRISE"), el("name", "Enterprise One"))).result()
	wantTags(t, ent, "internalId externalId type name created")
	wantFields(t, ent, "externalId", "ent", "type", "ENTERPRISE", "name", "Enterprise One", "parent", absent)
	wantCreated(t, ent)
	entID := text(ent, "internalId")

	acct := e.call("createOrg", orgRef(xid("acct"), el("type", "ACCOUNT"), el("parent", iid(entID)))).result()
	wantTags(t, acct, "internalId externalId type parent name created")
	wantFields(t, acct, "externalId", "acct", "type", "ACCOUNT", "name", "",
		"parent/internalId", entID, "parent/externalId", "ent", "parent/type", "ENTERPRISE")
	wantCreated(t, acct)
	if text(acct, "internalId") == "" || text(acct, "internalId") == entID {
		t.Errorf("account internalId %q, enterprise %q", text(acct, "internalId"), entID)
	}
	// The same account externalId in another Enterprise is another Account.
	e.mustEnterprise("ent2")
	other := e.call("createOrg", orgRef(xid("acct"), el("type", "ACCOUNT"), el("parent", xid("ent2")))).result()
	wantFields(t, other, "parent/externalId", "ent2")

	wantFaults(t, e, "createOrg", []faultCase{
		{"no org", "", "ARG_NULL", "org"},
		{"no externalId", orgRef(el("type", "ENTERPRISE")), "ATTRIBUTE_NULL", "externalId"},
		{"no type", orgRef(xid("x")), "ATTRIBUTE_NULL", "type"},
		{"account without parent", orgRef(xid("x"), el("type", "ACCOUNT")), "ATTRIBUTE_NULL", "parent"},
		{"invalid char", orgRef(xid("a b"), el("type", "ENTERPRISE")), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", orgRef(xid(long), el("type", "ENTERPRISE")), "ARG_TOO_LARGE", "externalId"},
		{"unknown type", orgRef(xid("x"), el("type", "DIVISION")), "ATTRIBUTE_INVALID_DATA", "type"},
		{"name too long", orgRef(xid("x"), el("type", "ENTERPRISE"), el("name", longText)), "ATTRIBUTE_INVALID_DATA", "name"},
		{"enterprise with parent", orgRef(xid("x"), el("type", "ENTERPRISE"), el("parent", xid("ent"))), "ATTRIBUTE_INVALID_DATA", "parent"},
		{"parent is an account", orgRef(xid("x"), el("type", "ACCOUNT"), el("parent", xid("acct"), el("parent", xid("ent")))), "ARG_INVALID_TYPE", "parent"},
		{"parent not exists", orgRef(xid("x"), el("type", "ACCOUNT"), el("parent", xid("nope"))), "OBJECT_NOT_EXISTS", "nope"},
		{"parent ambiguous", orgRef(xid("x"), el("type", "ACCOUNT"), el("parent", xid("acct"))), "ARG_NULL", "parent"},
		{"parent ids differ", orgRef(xid("x"), el("type", "ACCOUNT"), el("parent", iid(entID), xid("ent2"))), "ARG_INVALID_DATA", "ent2"},
		{"enterprise exists", orgRef(xid("ent"), el("type", "ENTERPRISE")), "OBJECT_EXISTS", "ent"},
		{"account exists", orgRef(xid("acct"), el("type", "ACCOUNT"), el("parent", iid(entID))), "OBJECT_EXISTS", "acct"},
	})
}

func TestShowOrg(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	// "dup" is an Enterprise and an Account of ent.
	dupEnt := e.mustEnterprise("dup")
	dupAcct := e.mustAccount("ent", "dup")
	for _, c := range []struct{ name, inner, id string }{
		{"by internalId", iid(w.account), w.account},
		{"by internalId and externalId", iid(w.account) + xid("acct"), w.account},
		{"by externalId", xid("acct"), w.account},
		{"by externalId and parent", xid("dup") + el("parent", xid("ent")), dupAcct},
		{"by externalId and type", xid("dup") + el("type", "ENTERPRISE"), dupEnt},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			r := e.call("showOrg", orgRef(c.inner)).result()
			wantFields(t, r, "internalId", c.id)
		})
	}
	e.t = t
	r := e.call("showOrg", orgRef(iid(w.account))).result()
	wantTags(t, r, "internalId externalId type parent name created")
	wantFields(t, r, "externalId", "acct", "type", "ACCOUNT", "name", "",
		"parent/internalId", w.enterprise, "parent/externalId", "ent", "parent/type", "ENTERPRISE")
	wantCreated(t, r)

	wantFaults(t, e, "showOrg", orgRefFaults(w))
}

// orgRefFaults are the faults of a bad org reference, common to showOrg and deleteOrg.
func orgRefFaults(w world) []faultCase {
	return []faultCase{
		{"no org", "", "ARG_NULL", "org"},
		{"no id", orgRef(), "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", orgRef(xid("a/b")), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", orgRef(xid(long)), "ARG_TOO_LARGE", "externalId"},
		{"internalId of a user", orgRef(iid(w.users[0])), "ARG_INVALID_TYPE", "org"},
		{"internalId of another type", orgRef(iid(w.enterprise), el("type", "ACCOUNT")), "ARG_INVALID_TYPE", "org"},
		{"unknown type", orgRef(xid("acct"), el("type", "account")), "ARG_INVALID_TYPE", "org"},
		{"ids name different orgs", orgRef(iid(w.enterprise), xid("acct")), "ARG_INVALID_DATA", "acct"},
		{"ambiguous externalId", orgRef(xid("dup")), "ARG_NULL", "parent"},
		{"bad internalId", orgRef(iid("bad")), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown internalId", orgRef(iid("org-999")), "OBJECT_NOT_EXISTS", "org-999"},
		{"unknown externalId", orgRef(xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
		{"unknown parent", orgRef(xid("acct"), el("parent", xid("nope"))), "OBJECT_NOT_EXISTS", "nope"},
	}
}

func TestDeleteOrg(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustEnterprise("dup")
	e.mustAccount("ent", "dup")
	wantFaults(t, e, "deleteOrg", orgRefFaults(w))

	usersOnly := e.mustAccount("ent", "usersOnly")
	e.mustUsers("usersOnly", "", "lonely")
	e.mustAccount("ent", "groupsOnly")
	e.mustAgentGroup("groupsOnly", "g", "")
	wantFaults(t, e, "deleteOrg", []faultCase{
		{"enterprise with accounts", orgRef(iid(w.enterprise)), "INVALID_STATE", "ent"},
		{"account with users", orgRef(xid("usersOnly")), "INVALID_STATE", "usersOnly"},
		{"account with agent groups", orgRef(xid("groupsOnly")), "INVALID_STATE", "groupsOnly"},
	})

	// Emptied, the account and then its enterprise go; a show then finds nothing.
	e.call("deleteUsers", el("users", xid("lonely"))).wantWarnings()
	dupAcct := text(e.call("showOrg", orgRef(xid("dup"), el("type", "ACCOUNT"))).result(), "internalId")
	for _, ref := range []string{xid("usersOnly"), iid(dupAcct)} {
		if r := e.call("deleteOrg", orgRef(ref)).ok(); len(r.wrapper.ChildElements()) != 0 {
			t.Errorf("deleteOrg: want an empty response, got %s", r.raw)
		}
	}
	e.call("showOrg", orgRef(xid("usersOnly"))).fault("OBJECT_NOT_EXISTS", "usersOnly")
	e.call("showOrg", orgRef(iid(dupAcct))).fault("OBJECT_NOT_EXISTS", dupAcct)
	e.call("showOrg", orgRef(xid("dup"))).result() // no longer ambiguous

	// Ids are never reused.
	again := e.mustAccount("ent", "usersOnly")
	if again == usersOnly || again == "" {
		t.Errorf("recreated account has internalId %q", again)
	}
	e.call("deleteOrg", orgRef(xid("usersOnly"))).ok()
	if third := e.mustAccount("ent", "usersOnly"); third == again {
		t.Errorf("internalId %q reused", third)
	}
}

func TestOrgSOAP12(t *testing.T) {
	e := newEnv(t)
	e.soap12 = true
	id := e.mustEnterprise("ent")
	wantFields(t, e.call("showOrg", orgRef(iid(id))).result(), "externalId", "ent", "type", "ENTERPRISE")
	e.call("createOrg", orgRef(xid("ent"), el("type", "ENTERPRISE"))).fault("OBJECT_EXISTS", "ent")
	e.call("showOrg", orgRef(xid("nope"))).fault("OBJECT_NOT_EXISTS", "nope")
	e.mustAccount("ent", "acct")
	e.call("deleteOrg", orgRef(iid(id))).fault("INVALID_STATE", "ent")
	e.call("deleteOrg", orgRef(xid("acct"))).ok()
	e.call("deleteOrg", orgRef(iid(id))).ok()
}
