package provisioning

import (
	"testing"
	"time"
)

// workStateCase is one request of the state machine: the current work state, the request
// (action and work state), loginEnabled, and either the work state the agent moves to or the
// argument of the INVALID_STATE refusal.
type workStateCase struct {
	current      WorkState
	action       RequestedAction
	workState    WorkState
	loginEnabled bool
	want         WorkState // "" when the request is refused
	invalidArg   string    // the INVALID_STATE argument, "" when the request is allowed
}

// workStateCases is every (current state) x (action) x (requested work state) x
// (loginEnabled) combination, written out from section 3 of the contract, with the group's
// initialWorkState NOT_READY:
//
//   - LOGGED_OUT --LOGIN--> initialWorkState, only with loginEnabled (else INVALID_STATE
//     naming LOGIN); a work state asked with the login is applied after it.
//   - NOT_READY, READY, BREAK --requestedWorkState--> any of them; LOGGED_OUT is reached by
//     LOGOUT only, so it is never a valid requestedWorkState.
//   - logged in --LOGOUT--> LOGGED_OUT, with no work state asked alongside.
//   - Anything else (READY while LOGGED_OUT, LOGIN while logged in, LOGOUT while logged out)
//     is INVALID_STATE naming the refused request.
//
// loginEnabled matters for LOGIN only: the logout that loginEnabled=false causes is made by
// the caller (ChangeAgentState, ReleaseAgent), which turns the request into a LOGOUT.
var workStateCases = []workStateCase{
	// From LOGGED_OUT.
	{LoggedOut, NoAction, "", true, LoggedOut, ""},
	{LoggedOut, NoAction, "", false, LoggedOut, ""},
	{LoggedOut, NoAction, LoggedOut, true, "", "LOGGED_OUT"},
	{LoggedOut, NoAction, LoggedOut, false, "", "LOGGED_OUT"},
	{LoggedOut, NoAction, NotReady, true, "", "NOT_READY"},
	{LoggedOut, NoAction, NotReady, false, "", "NOT_READY"},
	{LoggedOut, NoAction, Ready, true, "", "READY"},
	{LoggedOut, NoAction, Ready, false, "", "READY"},
	{LoggedOut, NoAction, Break, true, "", "BREAK"},
	{LoggedOut, NoAction, Break, false, "", "BREAK"},
	{LoggedOut, Login, "", true, NotReady, ""},
	{LoggedOut, Login, "", false, "", "LOGIN"},
	{LoggedOut, Login, LoggedOut, true, "", "LOGGED_OUT"},
	{LoggedOut, Login, LoggedOut, false, "", "LOGIN"},
	{LoggedOut, Login, NotReady, true, NotReady, ""},
	{LoggedOut, Login, NotReady, false, "", "LOGIN"},
	{LoggedOut, Login, Ready, true, Ready, ""},
	{LoggedOut, Login, Ready, false, "", "LOGIN"},
	{LoggedOut, Login, Break, true, Break, ""},
	{LoggedOut, Login, Break, false, "", "LOGIN"},
	{LoggedOut, Logout, "", true, "", "LOGOUT"},
	{LoggedOut, Logout, "", false, "", "LOGOUT"},
	{LoggedOut, Logout, LoggedOut, true, "", "LOGOUT"},
	{LoggedOut, Logout, LoggedOut, false, "", "LOGOUT"},
	{LoggedOut, Logout, NotReady, true, "", "LOGOUT"},
	{LoggedOut, Logout, NotReady, false, "", "LOGOUT"},
	{LoggedOut, Logout, Ready, true, "", "LOGOUT"},
	{LoggedOut, Logout, Ready, false, "", "LOGOUT"},
	{LoggedOut, Logout, Break, true, "", "LOGOUT"},
	{LoggedOut, Logout, Break, false, "", "LOGOUT"},
	// From NOT_READY.
	{NotReady, NoAction, "", true, NotReady, ""},
	{NotReady, NoAction, "", false, NotReady, ""},
	{NotReady, NoAction, LoggedOut, true, "", "LOGGED_OUT"},
	{NotReady, NoAction, LoggedOut, false, "", "LOGGED_OUT"},
	{NotReady, NoAction, NotReady, true, NotReady, ""},
	{NotReady, NoAction, NotReady, false, NotReady, ""},
	{NotReady, NoAction, Ready, true, Ready, ""},
	{NotReady, NoAction, Ready, false, Ready, ""},
	{NotReady, NoAction, Break, true, Break, ""},
	{NotReady, NoAction, Break, false, Break, ""},
	{NotReady, Login, "", true, "", "LOGIN"},
	{NotReady, Login, "", false, "", "LOGIN"},
	{NotReady, Login, LoggedOut, true, "", "LOGIN"},
	{NotReady, Login, LoggedOut, false, "", "LOGIN"},
	{NotReady, Login, NotReady, true, "", "LOGIN"},
	{NotReady, Login, NotReady, false, "", "LOGIN"},
	{NotReady, Login, Ready, true, "", "LOGIN"},
	{NotReady, Login, Ready, false, "", "LOGIN"},
	{NotReady, Login, Break, true, "", "LOGIN"},
	{NotReady, Login, Break, false, "", "LOGIN"},
	{NotReady, Logout, "", true, LoggedOut, ""},
	{NotReady, Logout, "", false, LoggedOut, ""},
	{NotReady, Logout, LoggedOut, true, "", "LOGOUT"},
	{NotReady, Logout, LoggedOut, false, "", "LOGOUT"},
	{NotReady, Logout, NotReady, true, "", "LOGOUT"},
	{NotReady, Logout, NotReady, false, "", "LOGOUT"},
	{NotReady, Logout, Ready, true, "", "LOGOUT"},
	{NotReady, Logout, Ready, false, "", "LOGOUT"},
	{NotReady, Logout, Break, true, "", "LOGOUT"},
	{NotReady, Logout, Break, false, "", "LOGOUT"},
	// From READY.
	{Ready, NoAction, "", true, Ready, ""},
	{Ready, NoAction, "", false, Ready, ""},
	{Ready, NoAction, LoggedOut, true, "", "LOGGED_OUT"},
	{Ready, NoAction, LoggedOut, false, "", "LOGGED_OUT"},
	{Ready, NoAction, NotReady, true, NotReady, ""},
	{Ready, NoAction, NotReady, false, NotReady, ""},
	{Ready, NoAction, Ready, true, Ready, ""},
	{Ready, NoAction, Ready, false, Ready, ""},
	{Ready, NoAction, Break, true, Break, ""},
	{Ready, NoAction, Break, false, Break, ""},
	{Ready, Login, "", true, "", "LOGIN"},
	{Ready, Login, "", false, "", "LOGIN"},
	{Ready, Login, LoggedOut, true, "", "LOGIN"},
	{Ready, Login, LoggedOut, false, "", "LOGIN"},
	{Ready, Login, NotReady, true, "", "LOGIN"},
	{Ready, Login, NotReady, false, "", "LOGIN"},
	{Ready, Login, Ready, true, "", "LOGIN"},
	{Ready, Login, Ready, false, "", "LOGIN"},
	{Ready, Login, Break, true, "", "LOGIN"},
	{Ready, Login, Break, false, "", "LOGIN"},
	{Ready, Logout, "", true, LoggedOut, ""},
	{Ready, Logout, "", false, LoggedOut, ""},
	{Ready, Logout, LoggedOut, true, "", "LOGOUT"},
	{Ready, Logout, LoggedOut, false, "", "LOGOUT"},
	{Ready, Logout, NotReady, true, "", "LOGOUT"},
	{Ready, Logout, NotReady, false, "", "LOGOUT"},
	{Ready, Logout, Ready, true, "", "LOGOUT"},
	{Ready, Logout, Ready, false, "", "LOGOUT"},
	{Ready, Logout, Break, true, "", "LOGOUT"},
	{Ready, Logout, Break, false, "", "LOGOUT"},
	// From BREAK.
	{Break, NoAction, "", true, Break, ""},
	{Break, NoAction, "", false, Break, ""},
	{Break, NoAction, LoggedOut, true, "", "LOGGED_OUT"},
	{Break, NoAction, LoggedOut, false, "", "LOGGED_OUT"},
	{Break, NoAction, NotReady, true, NotReady, ""},
	{Break, NoAction, NotReady, false, NotReady, ""},
	{Break, NoAction, Ready, true, Ready, ""},
	{Break, NoAction, Ready, false, Ready, ""},
	{Break, NoAction, Break, true, Break, ""},
	{Break, NoAction, Break, false, Break, ""},
	{Break, Login, "", true, "", "LOGIN"},
	{Break, Login, "", false, "", "LOGIN"},
	{Break, Login, LoggedOut, true, "", "LOGIN"},
	{Break, Login, LoggedOut, false, "", "LOGIN"},
	{Break, Login, NotReady, true, "", "LOGIN"},
	{Break, Login, NotReady, false, "", "LOGIN"},
	{Break, Login, Ready, true, "", "LOGIN"},
	{Break, Login, Ready, false, "", "LOGIN"},
	{Break, Login, Break, true, "", "LOGIN"},
	{Break, Login, Break, false, "", "LOGIN"},
	{Break, Logout, "", true, LoggedOut, ""},
	{Break, Logout, "", false, LoggedOut, ""},
	{Break, Logout, LoggedOut, true, "", "LOGOUT"},
	{Break, Logout, LoggedOut, false, "", "LOGOUT"},
	{Break, Logout, NotReady, true, "", "LOGOUT"},
	{Break, Logout, NotReady, false, "", "LOGOUT"},
	{Break, Logout, Ready, true, "", "LOGOUT"},
	{Break, Logout, Ready, false, "", "LOGOUT"},
	{Break, Logout, Break, true, "", "LOGOUT"},
	{Break, Logout, Break, false, "", "LOGOUT"},
}

func TestNextWorkStateEveryCombination(t *testing.T) {
	if len(workStateCases) != 4*3*5*2 {
		t.Fatalf("table has %d cases, want every combination (%d)", len(workStateCases), 4*3*5*2)
	}
	seen := map[workStateCase]bool{}
	for _, c := range workStateCases {
		key := workStateCase{current: c.current, action: c.action, workState: c.workState, loginEnabled: c.loginEnabled}
		if seen[key] {
			t.Fatalf("duplicate case %+v", key)
		}
		seen[key] = true
		actions := []RequestedAction{c.action}
		if c.action == NoAction {
			actions = append(actions, "") // an absent requestedAction is NONE
		}
		for _, action := range actions {
			got, err := NextWorkState(c.current, Request{Action: action, WorkState: c.workState}, c.loginEnabled, NotReady)
			name := string(c.current) + " " + string(action) + "/" + string(c.workState)
			if c.loginEnabled {
				name += " enabled"
			}
			if c.invalidArg != "" {
				if ErrorCode(err) != InvalidState || ErrorArg(err) != c.invalidArg {
					t.Errorf("%s: want INVALID_STATE %q, got %v (%v)", name, c.invalidArg, err, got)
				}
				if got != c.current {
					t.Errorf("%s: a refused request moved the state to %s", name, got)
				}
				continue
			}
			if err != nil || got != c.want {
				t.Errorf("%s: want %s, got %s (%v)", name, c.want, got, err)
			}
		}
	}
}

func TestNextWorkStateLoginUsesInitialWorkState(t *testing.T) {
	for _, initial := range []WorkState{NotReady, Ready} {
		got, err := NextWorkState(LoggedOut, Request{Action: Login}, true, initial)
		if err != nil || got != initial {
			t.Errorf("LOGIN with initialWorkState %s: got %s (%v)", initial, got, err)
		}
		got, err = NextWorkState(LoggedOut, Request{Action: Login, WorkState: Break}, true, initial)
		if err != nil || got != Break {
			t.Errorf("LOGIN+BREAK with initialWorkState %s: got %s (%v)", initial, got, err)
		}
	}
}

func TestNextWorkStateUnknownAction(t *testing.T) {
	got, err := NextWorkState(Ready, Request{Action: "JUMP"}, true, NotReady)
	if ErrorCode(err) != InvalidState || ErrorArg(err) != "JUMP" || got != Ready {
		t.Errorf("unknown action: got %s (%v)", got, err)
	}
}

func TestEffectiveWorkState(t *testing.T) {
	changed := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	const maxBreak = 900
	limit := changed.Add(maxBreak * time.Second)
	cases := []struct {
		state WorkState
		max   int
		now   time.Time
		want  WorkState
	}{
		{Break, maxBreak, changed, Break},
		{Break, maxBreak, limit.Add(-time.Millisecond), Break},
		{Break, maxBreak, limit, Break}, // exactly maxBreakTime is not longer than it
		{Break, maxBreak, limit.Add(time.Millisecond), NotReady},
		{Break, maxBreak, limit.Add(24 * time.Hour), NotReady},
		{Break, 0, changed, Break},
		{Break, 0, changed.Add(time.Millisecond), NotReady},
		{Ready, maxBreak, limit.Add(time.Hour), Ready},
		{NotReady, maxBreak, limit.Add(time.Hour), NotReady},
		{LoggedOut, maxBreak, limit.Add(time.Hour), LoggedOut},
	}
	for _, c := range cases {
		a := Agent{WorkState: c.state, MaxBreakTime: c.max, StateChanged: changed}
		if got := a.EffectiveWorkState(c.now); got != c.want {
			t.Errorf("%s for %v with maxBreakTime %d: got %s, want %s", c.state, c.now.Sub(changed), c.max, got, c.want)
		}
		if a.WorkState != c.state {
			t.Errorf("EffectiveWorkState changed the stored state")
		}
	}
}

// TestMoveToAfterOverLongBreak checks that an agent whose break ran out, shown as NOT_READY,
// starts a new break when asked for BREAK, and is stored as NOT_READY since the break ran out
// when asked for NOT_READY.
func TestMoveToAfterOverLongBreak(t *testing.T) {
	changed := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	now := changed.Add(time.Hour)
	onBreak := Agent{WorkState: Break, MaxBreakTime: 60, StateChanged: changed}
	if onBreak.EffectiveWorkState(now) != NotReady {
		t.Fatal("the break has not run out")
	}

	a := onBreak
	next, err := NextWorkState(a.EffectiveWorkState(now), Request{WorkState: Break}, true, NotReady)
	if err != nil || next != Break {
		t.Fatalf("BREAK after a run-out break: %s, %v", next, err)
	}
	a.moveTo(next, now)
	if a.WorkState != Break || !a.StateChanged.Equal(now) || a.EffectiveWorkState(now) != Break {
		t.Errorf("a new break: stored %s since %v, shown %s", a.WorkState, a.StateChanged, a.EffectiveWorkState(now))
	}

	a = onBreak
	a.moveTo(NotReady, now)
	if a.WorkState != NotReady || !a.StateChanged.Equal(changed.Add(time.Minute)) {
		t.Errorf("NOT_READY after a run-out break: stored %s since %v", a.WorkState, a.StateChanged)
	}

	a = Agent{WorkState: Ready, StateChanged: changed, IdleSince: changed}
	a.moveTo(Ready, now)
	if !a.StateChanged.Equal(changed) || !a.IdleSince.Equal(changed) {
		t.Errorf("READY to READY moved the moments: %v %v", a.StateChanged, a.IdleSince)
	}
	a.moveTo(Break, now)
	a.moveTo(Ready, now.Add(time.Second))
	if a.WorkState != Ready || !a.IdleSince.Equal(now.Add(time.Second)) {
		t.Errorf("READY again: %s idle since %v", a.WorkState, a.IdleSince)
	}
}
