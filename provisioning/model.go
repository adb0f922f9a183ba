package provisioning

import "time"

// OrgType is the type of an organization.
type OrgType string

// The organization types.
const (
	Enterprise OrgType = "ENTERPRISE"
	Account    OrgType = "ACCOUNT"
)

// UserType is the type of a user; only AGENT users can become agents.
type UserType string

// The user types.
const (
	UserAgent         UserType = "AGENT"
	UserSupervisor    UserType = "SUPERVISOR"
	UserAdministrator UserType = "ADMINISTRATOR"
)

// AgentGroupType is the type of an agent group.
type AgentGroupType string

// The agent group types.
const (
	Standard AgentGroupType = "STANDARD"
	Enhanced AgentGroupType = "ENHANCED"
	Remote   AgentGroupType = "REMOTE"
)

// AllocationMode says how work is allocated in an agent group.
type AllocationMode string

// The allocation modes.
const (
	Individual AllocationMode = "INDIVIDUAL"
	Group      AllocationMode = "GROUP"
)

// WorkState is an agent's work state.
type WorkState string

// The work states.
const (
	LoggedOut WorkState = "LOGGED_OUT"
	NotReady  WorkState = "NOT_READY"
	Ready     WorkState = "READY"
	Break     WorkState = "BREAK"
)

// RequestedAction is a login or logout asked of an agent.
type RequestedAction string

// The requested actions.
const (
	NoAction RequestedAction = "NONE"
	Login    RequestedAction = "LOGIN"
	Logout   RequestedAction = "LOGOUT"
)

// ContactState is what an agent is doing with a contact.
type ContactState string

// The contact states.
const (
	Idle      ContactState = "IDLE"
	Reserved  ContactState = "RESERVED"
	Connected ContactState = "CONNECTED"
	WrapUp    ContactState = "WRAP_UP"
)

// GroupState is the state of an agent group.
type GroupState string

// The agent group states.
const (
	Active  GroupState = "ACTIVE"
	Paused  GroupState = "PAUSED"
	Stopped GroupState = "STOPPED"
)

// RegistrationMethod is the name of the user attribute that says how an agent registers.
const RegistrationMethod = "registrationMethod"

// Org is an Enterprise or an Account.
type Org struct {
	ID         int64
	ExternalID string
	Type       OrgType
	// ParentID and ParentExternalID name the Enterprise of an Account; 0 and "" otherwise.
	ParentID         int64
	ParentExternalID string
	Name             string
	Created          time.Time
}

// Attribute is a named value attached to a user.
type Attribute struct {
	Name  string
	Value string
}

// User is a person of an Account; an AGENT user can be made an agent.
type User struct {
	ID                int64
	AccountID         int64
	AccountExternalID string
	ExternalID        string
	Type              UserType
	FirstName         string
	LastName          string
	Email             string
	LoginEnabled      bool
	Attributes        []Attribute
	Created           time.Time
}

// Attribute returns the value of the named attribute, or "".
func (u *User) Attribute(name string) string {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// AgentGroup is a group of agents in an Account, with its live group state.
type AgentGroup struct {
	ID                int64
	AccountID         int64
	AccountExternalID string
	ExternalID        string
	Name              string
	Type              AgentGroupType
	AllocationMode    AllocationMode
	Intensity         int
	InitialWorkState  WorkState
	MaxBreakTime      int // seconds
	Created           time.Time

	State            GroupState
	AllocatedCount   int
	CurrentStartTime time.Time // zero when not set
	CurrentEndTime   time.Time // zero when not set
}

// ScheduleGroup is a schedule within an agent group.
type ScheduleGroup struct {
	ID                   int64
	AgentGroupID         int64
	AgentGroupExternalID string
	ExternalID           string // optional
	Name                 string
	StartTime            string // xs:time, canonical hh:mm:ss, or "" when not set
	EndTime              string // xs:time, canonical hh:mm:ss, or "" when not set
	Created              time.Time
}

// AgentCounts are the read-only counts of an agent group's state.
type AgentCounts struct {
	Agents   int // all agents of the group
	LoggedIn int // agents whose work state is not LOGGED_OUT
	Ready    int // agents READY
	Busy     int // agents whose contact state is not IDLE
	OnBreak  int // agents on BREAK within the group's maxBreakTime
}

// AgentGroupState is an agent group's state with its counts.
type AgentGroupState struct {
	Group  AgentGroup
	Counts AgentCounts
}
