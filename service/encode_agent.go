package service

import "github.com/engage-oss/engage/provisioning"

// writeAgentState writes an AgentState: the agent as a User reference with its loginEnabled
// and attributes, its groups as references, and its live state.
func writeAgentState(w *xmlWriter, name string, a *provisioning.Agent) {
	u := &a.User
	w.start(name)
	writeID(w, provisioning.KindAgent, a.ID)
	writeUser(w, "agent", u)
	writeAgentGroupRef(w, "agentGroup", a.AgentGroupID, a.AgentGroupExternalID)
	if a.ScheduleGroupID != 0 {
		w.start("currentScheduleGroup")
		writeID(w, provisioning.KindScheduleGroup, a.ScheduleGroupID)
		w.optText("externalId", a.ScheduleGroupExternalID)
		w.end("currentScheduleGroup")
	}
	w.text("currentWorkState", string(a.WorkState))
	w.optText("requestedWorkState", string(a.RequestedWorkState))
	w.text("requestedAction", string(a.RequestedAction))
	w.start("currentContactState")
	w.text("state", string(a.ContactState))
	if a.DeviceID != 0 {
		w.start("device")
		writeID(w, provisioning.KindDevice, a.DeviceID)
		w.text("externalId", a.DeviceExternalID)
		w.bool("directConnected", true)
		w.end("device")
	}
	w.dateTime("since", a.ContactSince)
	w.end("currentContactState")
	w.text("currentPhoneNumber", a.PhoneNumber)
	w.dateTime("stateChanged", a.StateChanged)
	w.end(name)
}
