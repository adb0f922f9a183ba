package service

import (
	"github.com/engage-oss/engage/provisioning"
)

// The encoders write entities in the XSD's element order, every field the entity has present.

// writeID writes the internalId element of the entity of kind k whose row id is id.
func writeID(w *xmlWriter, k provisioning.Kind, id int64) {
	// An internalId is a kind and digits: nothing to escape.
	var text [32]byte
	w.start("internalId")
	w.buf.Write(provisioning.AppendID(text[:0], k, id))
	w.end("internalId")
}

// writeRef writes a reference to another entity: its internalId, externalId and, for an
// organization, its type.
func writeRef(w *xmlWriter, name string, k provisioning.Kind, id int64, externalID, typ string) {
	w.start(name)
	writeID(w, k, id)
	w.text("externalId", externalID)
	w.optText("type", typ)
	w.end(name)
}

// writeOrg writes an Org.
func writeOrg(w *xmlWriter, name string, o *provisioning.Org) {
	w.start(name)
	writeID(w, provisioning.KindOrg, o.ID)
	w.text("externalId", o.ExternalID)
	w.text("type", string(o.Type))
	if o.ParentID != 0 {
		writeRef(w, "parent", provisioning.KindOrg, o.ParentID, o.ParentExternalID, string(provisioning.Enterprise))
	}
	w.text("name", o.Name)
	w.dateTime("created", o.Created)
	w.end(name)
}

// writeAccountRef writes the reference to the Account an entity belongs to.
func writeAccountRef(w *xmlWriter, id int64, externalID string) {
	writeRef(w, "parent", provisioning.KindOrg, id, externalID, string(provisioning.Account))
}

// writeUser writes a User.
func writeUser(w *xmlWriter, name string, u *provisioning.User) {
	w.start(name)
	writeID(w, provisioning.KindUser, u.ID)
	w.text("externalId", u.ExternalID)
	writeAccountRef(w, u.AccountID, u.AccountExternalID)
	w.text("type", string(u.Type))
	w.text("firstName", u.FirstName)
	w.text("lastName", u.LastName)
	w.text("email", u.Email)
	w.bool("loginEnabled", u.LoginEnabled)
	writeAttributes(w, u.Attributes)
	w.end(name)
}

// writeAttributes writes a user's attributes.
func writeAttributes(w *xmlWriter, attributes []provisioning.Attribute) {
	for _, a := range attributes {
		w.start("attribute")
		w.text("name", a.Name)
		w.text("value", a.Value)
		w.end("attribute")
	}
}

// writeAgentGroup writes an AgentGroup.
func writeAgentGroup(w *xmlWriter, name string, g *provisioning.AgentGroup) {
	w.start(name)
	writeID(w, provisioning.KindAgentGroup, g.ID)
	w.text("externalId", g.ExternalID)
	writeAccountRef(w, g.AccountID, g.AccountExternalID)
	w.text("name", g.Name)
	w.text("type", string(g.Type))
	w.text("allocationMode", string(g.AllocationMode))
	w.int("intensity", int64(g.Intensity))
	w.text("initialWorkState", string(g.InitialWorkState))
	w.int("maxBreakTime", int64(g.MaxBreakTime))
	w.dateTime("created", g.Created)
	w.end(name)
}

// writeAgentGroupRef writes the reference to an agent group.
func writeAgentGroupRef(w *xmlWriter, name string, id int64, externalID string) {
	writeRef(w, name, provisioning.KindAgentGroup, id, externalID, "")
}

// writeScheduleGroup writes a ScheduleGroup.
func writeScheduleGroup(w *xmlWriter, name string, s *provisioning.ScheduleGroup) {
	w.start(name)
	writeID(w, provisioning.KindScheduleGroup, s.ID)
	w.optText("externalId", s.ExternalID)
	writeAgentGroupRef(w, "parent", s.AgentGroupID, s.AgentGroupExternalID)
	w.text("name", s.Name)
	w.optText("startTime", s.StartTime)
	w.optText("endTime", s.EndTime)
	w.end(name)
}

// writeAgentGroupState writes an AgentGroupState.
func writeAgentGroupState(w *xmlWriter, name string, st *provisioning.AgentGroupState) {
	g := &st.Group
	w.start(name)
	writeAgentGroupRef(w, "agentGroup", g.ID, g.ExternalID)
	w.text("state", string(g.State))
	w.int("allocatedCount", int64(g.AllocatedCount))
	w.dateTime("currentStartTime", g.CurrentStartTime)
	w.dateTime("currentEndTime", g.CurrentEndTime)
	w.int("agentCount", int64(st.Counts.Agents))
	w.int("loggedInCount", int64(st.Counts.LoggedIn))
	w.int("readyCount", int64(st.Counts.Ready))
	w.int("busyCount", int64(st.Counts.Busy))
	w.int("breakCount", int64(st.Counts.OnBreak))
	w.end(name)
}

// writeWarnings writes one warning per failed item.
func writeWarnings(w *xmlWriter, warnings []provisioning.Warning) {
	for _, wn := range warnings {
		w.start("warning")
		w.int("index", int64(wn.Index))
		w.text("code", string(wn.Err.Code))
		w.text("message", wn.Err.Error())
		w.optText("argument", wn.Err.Arg)
		w.end("warning")
	}
}
