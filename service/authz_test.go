package service_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/beevik/etree"

	"github.com/engage-oss/engage/provisioning"
)

// The authorization matrix: every operation, called by each kind of operator, on a target
// inside its scope and on targets outside it. A call the operator's role does not allow fails
// with PERMISSION_DENIED naming the operation; an allowed call on a target inside the scope
// succeeds; an allowed call on a target outside the scope gets exactly what the same request
// gets from a twin service in which the target does not exist at all. The twin holds the same
// base world with the same ids, and the same operators, but none of the places outside the
// scopes, so that the two answers are compared as they are: code, message, argument and
// warnings.

// outcome is what a call got, apart from its correlation id: its fault, or its warnings and
// how many results it had.
type outcome struct {
	code, message, argument string
	// warnings are the warnings, formatted; warned is the code of the first one.
	warnings, warned string
	results          int
}

// outcomeOf reads the outcome of a reply. A fault is checked as the harness checks any
// fault: valid against the XSD, with the contract's message for its code and argument.
func outcomeOf(r *reply) outcome {
	r.t.Helper()
	if r.wrapper.Tag != "Fault" {
		w := r.warnings()
		o := outcome{warnings: fmt.Sprint(w), results: len(r.results())}
		if len(w) > 0 {
			o.warned = w[0].Code
		}
		return o
	}
	detail := r.wrapper.FindElement("./detail/EngageFault")
	if detail == nil {
		r.t.Fatalf("%s: fault without EngageFault\n%s", r.op, r.raw)
	}
	o := outcome{code: text(detail, "code"), message: text(detail, "message"), argument: text(detail, "argument")}
	r.fault(o.code, o.argument)
	return o
}

// notExists reports whether an outcome is OBJECT_NOT_EXISTS: as the fault, or as the
// warning of a batch.
func (o outcome) notExists() bool {
	return o.code == "OBJECT_NOT_EXISTS" || (o.code == "" && o.warned == "OBJECT_NOT_EXISTS")
}

// caller is one operator of the matrix, as seen by the service under test and by its twin.
type caller struct {
	name  string
	role  provisioning.Role
	scope string // "" (the whole system), "enterprise" or "account": the base world's
	e     *env
	twin  *env
	// outside are the places outside the caller's scope (for an unscoped caller, places it
	// reaches all the same).
	outside []*place
}

// may reports whether the caller's role allows an operation, as the contract's table says.
func (c *caller) may(op string) bool {
	switch c.role {
	case provisioning.Administrator:
		return true
	case provisioning.Provisioning:
		return op != "createOrg" && op != "deleteOrg"
	}
	return slices.Contains(readOperations, op)
}

// reaches reports whether a place is inside the caller's scope.
func (c *caller) reaches(m *matrix, p *place) bool {
	switch c.scope {
	case "enterprise":
		return p.ent == m.in.ent
	case "account":
		return p.acct == m.in.acct
	}
	return true
}

// readOperations are the operations a READ_ONLY operator may call.
var readOperations = []string{
	"showOrg", "showUser", "showAgentGroup", "showScheduleGroup", "showAgentGroupState",
	"listAgentGroupStates", "showAgentStateUsingUser", "showAgentStateUsingDevice",
	"listAgentStatesUsingEntity",
}

// matrix is the service under test and its twin, with their base world, the places outside
// the scopes (in the service under test only) and the callers.
type matrix struct {
	t          *testing.T
	admin      *env // the service under test, as its unscoped administrator
	twinAdmin  *env
	base, twin base
	in         *place // the place inside every scope: the base world's Account
	callers    []*caller
	n          int // for fresh externalIds
}

// newMatrix builds the service under test and its twin.
func newMatrix(t *testing.T) *matrix {
	m := &matrix{t: t, admin: newEnv(t), twinAdmin: newEnv(t)}
	m.base, m.twin = buildBase(m.admin), buildBase(m.twinAdmin)
	if m.base != m.twin {
		t.Fatalf("the twin's base world differs:\n%+v\n%+v", m.base, m.twin)
	}
	m.in = &m.base.in
	// Places outside the scopes, only in the service under test: another Enterprise's
	// Account, and an Account beside the base world's in its Enterprise.
	other := buildPlace(m.admin, "other-enterprise", m.admin.mustEnterprise("ent-x"), "-x")
	sibling := buildPlace(m.admin, "sibling-account", m.in.ent, "-sibling")
	for _, c := range []struct {
		name    string
		role    provisioning.Role
		scope   string
		outside []*place
	}{
		{"administrator", provisioning.Administrator, "", []*place{other}},
		{"administrator-enterprise", provisioning.Administrator, "enterprise", []*place{other}},
		{"provisioning", provisioning.Provisioning, "", []*place{other}},
		{"provisioning-account", provisioning.Provisioning, "account", []*place{sibling, other}},
		{"readonly", provisioning.ReadOnly, "", []*place{other}},
		{"readonly-enterprise", provisioning.ReadOnly, "enterprise", []*place{other}},
	} {
		scope := map[string]string{"enterprise": m.in.ent, "account": m.in.acct}[c.scope]
		m.callers = append(m.callers, &caller{
			name: c.name, role: c.role, scope: c.scope, outside: c.outside,
			e:    m.admin.operator(c.name, c.role, scope),
			twin: m.twinAdmin.operator(c.name, c.role, scope),
		})
	}
	return m
}

// fresh returns a new externalId.
func (m *matrix) fresh(prefix string) string {
	m.n++
	return fmt.Sprintf("%s-%d", prefix, m.n)
}

// on returns e reporting to t.
func on(t *testing.T, e *env) *env {
	c := *e
	c.t = t
	return &c
}

// TestAuthorizationMatrix runs every operation for every caller on a target inside its scope
// and on targets outside it, named in each way a reference may name them.
func TestAuthorizationMatrix(t *testing.T) {
	m := newMatrix(t)
	cases := matrixCases()
	var names []string
	for _, oc := range cases {
		names = append(names, oc.op)
	}
	if want := wsdlOperations(t); !slices.Equal(sorted(names), sorted(want)) {
		t.Fatalf("matrix operations %q\nWSDL operations %q", names, want)
	}
	for _, c := range m.callers {
		for _, oc := range cases {
			t.Run(c.name+"/"+oc.op+"/inside", func(t *testing.T) {
				m.cell(t, c, oc, m.in, byID)
			})
			for _, p := range c.outside {
				for _, v := range oc.naming() {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", c.name, oc.op, p.name, v), func(t *testing.T) {
						m.cell(t, c, oc, p, v)
					})
				}
			}
		}
	}
}

// cell runs one cell of the matrix: op called by c on a target in p named as v says.
func (m *matrix) cell(t *testing.T, c *caller, oc matrixCase, p *place, v naming) {
	admin := on(t, m.admin)
	inner := oc.request(&cellSetup{m: m, admin: admin}, p, v)
	got := outcomeOf(on(t, c.e).call(oc.op, inner))
	switch {
	case !c.may(oc.op):
		if want := (outcome{code: "PERMISSION_DENIED", message: message("PERMISSION_DENIED", oc.op), argument: oc.op}); got != want {
			t.Errorf("%s by %s: want %+v, got %+v", oc.op, c.name, want, got)
		}
	case c.reaches(m, p):
		if got.code != "" || got.warned != "" {
			t.Errorf("%s by %s in %s: want success, got %+v", oc.op, c.name, p.name, got)
		}
	default:
		absent := outcomeOf(on(t, c.twin).call(oc.op, inner))
		if !absent.notExists() {
			t.Fatalf("%s: the twin does not answer OBJECT_NOT_EXISTS: %+v", oc.op, absent)
		}
		if got != absent {
			t.Errorf("%s by %s in %s: outside the scope %+v, absent %+v", oc.op, c.name, p.name, got, absent)
		}
	}
}

// wsdlOperations returns the operations of the contract's WSDL.
func wsdlOperations(t *testing.T) []string {
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(filepath.Join("..", "wsdl", "contact-center.wsdl")); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, op := range doc.FindElements("//portType/operation") {
		ops = append(ops, op.SelectAttrValue("name", ""))
	}
	return ops
}

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
