package provisioning

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by a Tx lookup that finds nothing.
var ErrNotFound = errors.New("not found")

// ErrExists is returned by a Tx insert that would break a uniqueness rule
// (an externalId already used in its parent, a user already an agent).
var ErrExists = errors.New("already exists")

// Store is the persistence the service needs.
type Store interface {
	// Read runs fn in a read-only transaction that sees one consistent snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a write transaction: committed when fn returns nil, rolled back
	// otherwise, and never interleaved with another write.
	Write(ctx context.Context, fn func(Tx) error) error
}

// Sessions is a Store on which the calls of one request can share a read snapshot: its
// authentication's look-up and its operation's reads then take one transaction, not two.
type Sessions interface {
	// Session returns a context in which the store's look-ups and Reads share one read
	// transaction, begun by the first of them and ended by end (which must be called) or by
	// the first Write, whose changes a later Read then sees.
	Session(ctx context.Context) (context.Context, func())
}

// SessionOf begins a session on store when it has sessions (see Sessions); otherwise it
// returns ctx and a function that does nothing.
func SessionOf(ctx context.Context, store Store) (context.Context, func()) {
	if sessions, ok := store.(Sessions); ok {
		return sessions.Session(ctx)
	}
	return ctx, func() {}
}

// Tx is one transaction's view of the store. Lookups by id return ErrNotFound (wrapped) when
// there is no such row. Finders return at most two rows, so that a caller can tell an
// ambiguous externalId from a unique one. Lists return at most limit rows.
type Tx interface {
	// Item runs fn so that its writes are kept only if it returns nil: one item of a batch.
	Item(fn func() error) error

	// Org returns the organization with this id.
	Org(id int64) (Org, error)
	// FindOrgs returns the organizations with this externalId under parentID (0: anywhere).
	FindOrgs(parentID int64, externalID string) ([]Org, error)
	// InsertOrg stores a new organization and sets its ID; ErrExists when its externalId is
	// taken among its siblings (among enterprises for an enterprise).
	InsertOrg(o *Org) error
	// DeleteOrg removes the organization with this id.
	DeleteOrg(id int64) error
	// OrgHasChildren reports whether an organization has accounts, users or agent groups.
	OrgHasChildren(id int64) (bool, error)

	// User returns the user with this id.
	User(id int64) (User, error)
	// FindUsers returns the users with this externalId in accountID (0: any account).
	FindUsers(accountID int64, externalID string) ([]User, error)
	// UsersByExternalID returns the users of an Account that have these externalIds, by
	// externalId: the users of a batch, found in one look-up.
	UsersByExternalID(accountID int64, externalIDs []string) (map[string]User, error)
	// InsertUser stores a new user and sets its ID; ErrExists when its externalId is taken
	// in its Account.
	InsertUser(u *User) error
	// UpdateUser stores the user's LoginEnabled and Attributes.
	UpdateUser(u *User) error
	// DeleteUser removes the user with this id.
	DeleteUser(id int64) error
	// UserIsAgent reports whether the user is an agent.
	UserIsAgent(id int64) (bool, error)
	// AgentUsers returns which of these users are agents: the users of a batch, checked in
	// one look-up.
	AgentUsers(userIDs []int64) (map[int64]bool, error)

	// AgentGroup returns the agent group with this id.
	AgentGroup(id int64) (AgentGroup, error)
	// FindAgentGroups returns the agent groups with this externalId in accountID (0: any).
	FindAgentGroups(accountID int64, externalID string) ([]AgentGroup, error)
	// ListAgentGroups returns the agent groups of an Account ordered by externalId.
	ListAgentGroups(accountID int64, limit int) ([]AgentGroup, error)
	// CountAgentGroups returns how many agent groups an Account has.
	CountAgentGroups(accountID int64) (int, error)
	// InsertAgentGroup stores a new agent group and sets its ID; ErrExists when its
	// externalId is taken in its Account.
	InsertAgentGroup(g *AgentGroup) error
	// UpdateAgentGroup stores the changeable fields of an agent group and of its state:
	// Intensity, InitialWorkState, MaxBreakTime, State, AllocatedCount, CurrentStartTime,
	// CurrentEndTime.
	UpdateAgentGroup(g *AgentGroup) error
	// DeleteAgentGroup removes an agent group and its schedule groups.
	DeleteAgentGroup(id int64) error
	// AgentCounts returns the counts of an agent group's agents at the moment now.
	AgentCounts(g *AgentGroup, now time.Time) (AgentCounts, error)

	// ScheduleGroup returns the schedule group with this id.
	ScheduleGroup(id int64) (ScheduleGroup, error)
	// FindScheduleGroups returns the schedule groups with this externalId in agentGroupID
	// (0: any agent group).
	FindScheduleGroups(agentGroupID int64, externalID string) ([]ScheduleGroup, error)
	// CountScheduleGroups returns how many schedule groups an agent group has.
	CountScheduleGroups(agentGroupID int64) (int, error)
	// InsertScheduleGroup stores a new schedule group and sets its ID; ErrExists when its
	// externalId is taken in its agent group.
	InsertScheduleGroup(s *ScheduleGroup) error
	// DeleteScheduleGroup removes the schedule group with this id.
	DeleteScheduleGroup(id int64) error
	// ScheduleGroupInUse reports whether an agent's current schedule group is this one.
	ScheduleGroupInUse(id int64) (bool, error)

	// Agent returns the agent with this id.
	Agent(id int64) (Agent, error)
	// AgentByUser returns the agent that a user is.
	AgentByUser(userID int64) (Agent, error)
	// AgentIDByPhone returns the id of the agent of an Account whose currentPhoneNumber is
	// phone.
	AgentIDByPhone(accountID int64, phone string) (int64, error)
	// AgentsByDevice returns the agents Direct Connected now to a device with this
	// externalId in any of the accounts (at most limit of them).
	AgentsByDevice(accountIDs []int64, deviceExternalID string, limit int) ([]Agent, error)
	// ListAgents returns the agents of an agent group (groupID) or of an Account
	// (accountID, when groupID is 0) ordered by their user's externalId. The list may be
	// shared with other transactions that ask for it: it is read, never modified.
	ListAgents(accountID, groupID int64, limit int) ([]Agent, error)
	// CountAgents returns how many agents an Account has.
	CountAgents(accountID int64) (int, error)
	// NextIdleAgent returns the agent of a schedule group who is READY and IDLE and has been
	// so the longest (ErrNotFound when there is none).
	NextIdleAgent(scheduleGroupID int64) (Agent, error)
	// InsertAgent stores a new agent and sets its ID; ErrExists when the user is an agent.
	InsertAgent(a *Agent) error
	// UpdateAgent stores an agent's live state: ScheduleGroupID, WorkState,
	// RequestedWorkState, RequestedAction, ContactState, DeviceID, ContactSince, PhoneNumber,
	// StateChanged, IdleSince.
	UpdateAgent(a *Agent) error
	// DeleteAgentOfUser removes the agent that a user is (the user stays); ErrNotFound when
	// the user is no agent.
	DeleteAgentOfUser(userID int64) error
	// Device returns the id of the device of an Account with this externalId, creating it
	// when there is none.
	Device(accountID int64, externalID string) (int64, error)
	// AccountsOf returns the ids of an Enterprise's accounts.
	AccountsOf(enterpriseID int64) ([]int64, error)
}
