package provisioning

import (
	"context"
	"time"
)

// Limits are the configurable limits of the contract.
type Limits struct {
	// ItemsPerCall is the most items one call may carry (ARG_TOO_LARGE past it).
	ItemsPerCall int
	// AgentsPerAccount is the most active agents an Account may have (SYSTEM_LIMIT_EXCEEDED).
	AgentsPerAccount int
	// AgentsStringBytes is the longest agents string createAgentsUsingString takes.
	AgentsStringBytes int
	// AgentGroupsPerAccount is the most agent groups an Account may have.
	AgentGroupsPerAccount int
	// ScheduleGroupsPerAgentGroup is the most schedule groups an agent group may have.
	ScheduleGroupsPerAgentGroup int
	// ResultsPerList is the most results a list call returns (RESULT_TOO_LARGE past it).
	ResultsPerList int
}

// DefaultLimits returns the contract's default limits.
func DefaultLimits() Limits {
	return Limits{
		ItemsPerCall:                1000,
		AgentsPerAccount:            1000,
		AgentsStringBytes:           100000,
		AgentGroupsPerAccount:       50,
		ScheduleGroupsPerAgentGroup: 50,
		ResultsPerList:              1000,
	}
}

// Service carries out the Contact Center operations on a Store under the configured limits.
// Every operation is made for the Caller its context carries: it first checks that the
// caller's role allows it (PERMISSION_DENIED otherwise, before anything else), then sees the
// store only as the caller's scope lets it (see authz.go and scope.go).
type Service struct {
	store  Store
	limits Limits
	now    func() time.Time
}

// NewService returns a Service over store with the given limits and the wall clock.
func NewService(store Store, limits Limits) *Service {
	return &Service{store: store, limits: limits, now: time.Now}
}

// Limits returns the limits the service enforces.
func (s *Service) Limits() Limits { return s.limits }

// Session returns a context in which one request's store calls share a read snapshot, when
// the store has sessions (see Sessions), and the function that ends it; otherwise ctx and a
// function that does nothing.
func (s *Service) Session(ctx context.Context) (context.Context, func()) {
	return SessionOf(ctx, s.store)
}
