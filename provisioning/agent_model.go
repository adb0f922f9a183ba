package provisioning

import "time"

// Agent is a user placed in an agent group, with its live state: the AgentState of the
// contract.
type Agent struct {
	ID   int64
	User User

	AgentGroupID         int64
	AgentGroupExternalID string
	// MaxBreakTime is the agent group's, in seconds: a longer break reads as NOT_READY.
	MaxBreakTime int

	ScheduleGroupID         int64  // 0 when the agent has no current schedule group
	ScheduleGroupExternalID string // optional even when ScheduleGroupID is set

	WorkState          WorkState
	RequestedWorkState WorkState       // "" when nothing is kept
	RequestedAction    RequestedAction // NONE when nothing is kept

	ContactState     ContactState
	DeviceID         int64  // the Direct Connected device, 0 when none
	DeviceExternalID string // its externalId
	ContactSince     time.Time

	PhoneNumber  string
	StateChanged time.Time // when WorkState last changed
	IdleSince    time.Time // since when the agent has been READY and IDLE, for acquireAgent
	Created      time.Time
}

// EffectiveWorkState returns the work state as shown at the moment now: a BREAK longer than
// the group's maxBreakTime reads as NOT_READY.
func (a *Agent) EffectiveWorkState(now time.Time) WorkState {
	if a.WorkState == Break && now.Sub(a.StateChanged) > time.Duration(a.MaxBreakTime)*time.Second {
		return NotReady
	}
	return a.WorkState
}
