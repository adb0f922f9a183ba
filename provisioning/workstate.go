package provisioning

// Request is a change of work state asked of an agent: a login or logout, and/or a work state
// to move to. The zero Request asks nothing.
type Request struct {
	Action    RequestedAction // NONE or "" for no action
	WorkState WorkState       // "" for no work state
}

// empty reports whether the request asks nothing.
func (r Request) empty() bool {
	return (r.Action == "" || r.Action == NoAction) && r.WorkState == ""
}

// loggedIn reports whether a work state is one of an agent who is logged in.
func loggedIn(ws WorkState) bool {
	return ws == NotReady || ws == Ready || ws == Break
}

// NextWorkState returns the work state an agent in state current moves to on request r, or
// INVALID_STATE naming the request when the contract does not allow it:
//
//   - LOGGED_OUT --LOGIN--> the group's initial work state (initial), only when loginEnabled;
//     a work state asked with the login is then applied too.
//   - NOT_READY, READY, BREAK --any of them--> any other of them.
//   - any logged-in state --LOGOUT--> LOGGED_OUT (a work state cannot be asked with it).
//
// current is the effective work state (an over-long break is NOT_READY).
func NextWorkState(current WorkState, r Request, loginEnabled bool, initial WorkState) (WorkState, error) {
	next := current
	switch r.Action {
	case "", NoAction:
	case Login:
		if current != LoggedOut || !loginEnabled {
			return current, Errorf(InvalidState, string(Login))
		}
		next = initial
	case Logout:
		if !loggedIn(current) || r.WorkState != "" {
			return current, Errorf(InvalidState, string(Logout))
		}
		return LoggedOut, nil
	default:
		return current, Errorf(InvalidState, string(r.Action))
	}
	if r.WorkState == "" {
		return next, nil
	}
	if !loggedIn(next) || !loggedIn(r.WorkState) {
		return current, Errorf(InvalidState, string(r.WorkState))
	}
	return r.WorkState, nil
}
