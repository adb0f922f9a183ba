package service_test

import (
	"fmt"
	"strings"
)

// The setup helpers create what a test needs through the service itself and return the
// created entity's internalId.

// org writes an Org reference by externalId, with a parent Org reference when parent is set.
func org(externalID, parent string) string {
	if parent == "" {
		return "<cc:externalId>" + externalID + "</cc:externalId>"
	}
	return "<cc:externalId>" + externalID + "</cc:externalId><cc:parent><cc:externalId>" + parent + "</cc:externalId></cc:parent>"
}

// mustEnterprise creates an Enterprise.
func (e *env) mustEnterprise(externalID string) string {
	e.t.Helper()
	r := e.call("createOrg", "<cc:org>"+org(externalID, "")+"<cc:type>ENTERPRISE</cc:type></cc:org>").result()
	return text(r, "internalId")
}

// mustAccount creates an Account in an Enterprise.
func (e *env) mustAccount(enterprise, externalID string) string {
	e.t.Helper()
	r := e.call("createOrg", "<cc:org><cc:externalId>"+externalID+"</cc:externalId><cc:type>ACCOUNT</cc:type>"+
		"<cc:parent><cc:externalId>"+enterprise+"</cc:externalId></cc:parent></cc:org>").result()
	return text(r, "internalId")
}

// mustUsers creates users of the given type (AGENT when empty) in an Account.
func (e *env) mustUsers(account, userType string, externalIDs ...string) []string {
	e.t.Helper()
	if userType == "" {
		userType = "AGENT"
	}
	var b strings.Builder
	for _, id := range externalIDs {
		fmt.Fprintf(&b, "<cc:users><cc:externalId>%s</cc:externalId><cc:parent><cc:externalId>%s</cc:externalId></cc:parent><cc:type>%s</cc:type></cc:users>", id, account, userType)
	}
	r := e.call("createUsers", b.String())
	if w := r.warnings(); len(w) > 0 {
		e.t.Fatalf("createUsers: %+v", w)
	}
	var ids []string
	for _, u := range r.results() {
		ids = append(ids, text(u, "internalId"))
	}
	return ids
}

// mustAgentGroup creates an agent group in an Account; extra is more of its XML (after parent).
func (e *env) mustAgentGroup(account, externalID, extra string) string {
	e.t.Helper()
	r := e.call("createAgentGroup", "<cc:agentGroup><cc:externalId>"+externalID+"</cc:externalId>"+extra+"</cc:agentGroup>"+
		"<cc:parent><cc:externalId>"+account+"</cc:externalId></cc:parent>").result()
	return text(r, "internalId")
}

// mustScheduleGroup creates a schedule group in an agent group given by internalId.
func (e *env) mustScheduleGroup(groupID, externalID string) string {
	e.t.Helper()
	r := e.call("createScheduleGroup", "<cc:scheduleGroup><cc:externalId>"+externalID+"</cc:externalId></cc:scheduleGroup>"+
		"<cc:parent><cc:internalId>"+groupID+"</cc:internalId></cc:parent>").result()
	return text(r, "internalId")
}

// world is an Enterprise "ent" with an Account "acct", an agent group "ag" and a schedule
// group "sg" in it, and AGENT users u1..u3.
type world struct {
	enterprise, account, group, schedule string
	users                                []string
}

// mustWorld creates a world.
func (e *env) mustWorld() world {
	e.t.Helper()
	w := world{enterprise: e.mustEnterprise("ent"), account: e.mustAccount("ent", "acct")}
	w.group = e.mustAgentGroup("acct", "ag", "")
	w.schedule = e.mustScheduleGroup(w.group, "sg")
	w.users = e.mustUsers("acct", "", "u1", "u2", "u3")
	return w
}
