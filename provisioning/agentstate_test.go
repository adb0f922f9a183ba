package provisioning

import (
	"context"
	"slices"
	"testing"
	"time"
)

// listStore is a Store whose read transactions list agents: the list listTx.agents, of
// the agent group listTx.group.
type listStore struct {
	Store
	tx listTx
}

func (s listStore) Read(_ context.Context, fn func(Tx) error) error { return fn(s.tx) }

// listTx is a Tx with one agent group and its agents.
type listTx struct {
	Tx
	group  AgentGroup
	agents []Agent
}

func (t listTx) AgentGroup(int64) (AgentGroup, error) { return t.group, nil }

func (t listTx) ListAgents(int64, int64, int) ([]Agent, error) { return t.agents, nil }

func TestListAgentStatesLeavesTheStoresListAsItIs(t *testing.T) {
	now := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	group := AgentGroup{ID: 1, AccountID: 2, ExternalID: "g", MaxBreakTime: 60}
	agents := []Agent{
		{ID: 1, WorkState: Ready, MaxBreakTime: 60, StateChanged: now.Add(-time.Hour)},
		{ID: 2, WorkState: Break, MaxBreakTime: 60, StateChanged: now.Add(-time.Hour)},
		{ID: 3, WorkState: Break, MaxBreakTime: 60, StateChanged: now.Add(-time.Second)},
	}
	s := NewService(listStore{tx: listTx{group: group, agents: agents}}, DefaultLimits())
	s.now = func() time.Time { return now }
	ctx := WithCaller(context.Background(), Caller{Name: "admin", Role: Administrator})
	for i := range 2 {
		got, err := s.ListAgentStatesUsingEntity(ctx, &Ref{InternalID: FormatID(KindAgentGroup, group.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var states []WorkState
		for _, a := range got {
			states = append(states, a.WorkState)
		}
		if want := []WorkState{Ready, NotReady, Break}; !slices.Equal(states, want) {
			t.Errorf("call %d: shown %v, want %v (a break over maxBreakTime reads NOT_READY)", i, states, want)
		}
		if agents[1].WorkState != Break {
			t.Fatalf("call %d: the store's list now says %s, want BREAK left as it was", i, agents[1].WorkState)
		}
	}
}
