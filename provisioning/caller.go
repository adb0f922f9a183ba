package provisioning

import "context"

// Role is what an operator may do.
type Role string

// The operator roles.
const (
	// ReadOnly operators may only call the show and list operations.
	ReadOnly Role = "READ_ONLY"
	// Provisioning operators may also create, change and delete users, agents, agent groups
	// and schedule groups, and acquire and release agents.
	Provisioning Role = "PROVISIONING"
	// Administrator operators may also create and delete organizations; only an unscoped
	// one creates or deletes Enterprises.
	Administrator Role = "ADMINISTRATOR"
)

// Caller is the authenticated operator a call is made for.
type Caller struct {
	Name string
	Role Role
	// ScopeOrgID is the Enterprise or Account the operator is limited to; 0 for the whole
	// system. Anything outside the scope is reported exactly as if it did not exist.
	ScopeOrgID int64
}

type callerKey struct{}

// WithCaller returns a context that carries the caller of a call.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller a context carries.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
