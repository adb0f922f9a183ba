package provisioning

import (
	"context"
	"testing"
)

// operationCalls calls every operation with empty arguments.
func operationCalls() map[string]func(context.Context, *Service) error {
	e1 := func(_ any, err error) error { return err }
	e2 := func(_, _ any, err error) error { return err }
	return map[string]func(context.Context, *Service) error{
		"createOrg":   func(ctx context.Context, s *Service) error { return e1(s.CreateOrg(ctx, nil)) },
		"showOrg":     func(ctx context.Context, s *Service) error { return e1(s.ShowOrg(ctx, nil)) },
		"deleteOrg":   func(ctx context.Context, s *Service) error { return s.DeleteOrg(ctx, nil) },
		"createUsers": func(ctx context.Context, s *Service) error { return e2(s.CreateUsers(ctx, nil)) },
		"showUser":    func(ctx context.Context, s *Service) error { return e1(s.ShowUser(ctx, nil)) },
		"deleteUsers": func(ctx context.Context, s *Service) error { return e1(s.DeleteUsers(ctx, nil)) },
		"createAgentGroup": func(ctx context.Context, s *Service) error {
			return e1(s.CreateAgentGroup(ctx, nil, nil))
		},
		"showAgentGroup":   func(ctx context.Context, s *Service) error { return e1(s.ShowAgentGroup(ctx, nil)) },
		"changeAgentGroup": func(ctx context.Context, s *Service) error { return e1(s.ChangeAgentGroup(ctx, nil)) },
		"deleteAgentGroup": func(ctx context.Context, s *Service) error { return s.DeleteAgentGroup(ctx, nil) },
		"createScheduleGroup": func(ctx context.Context, s *Service) error {
			return e1(s.CreateScheduleGroup(ctx, nil, nil))
		},
		"showScheduleGroup":   func(ctx context.Context, s *Service) error { return e1(s.ShowScheduleGroup(ctx, nil)) },
		"deleteScheduleGroup": func(ctx context.Context, s *Service) error { return s.DeleteScheduleGroup(ctx, nil) },
		"showAgentGroupState": func(ctx context.Context, s *Service) error { return e1(s.ShowAgentGroupState(ctx, nil)) },
		"listAgentGroupStates": func(ctx context.Context, s *Service) error {
			return e1(s.ListAgentGroupStates(ctx, nil))
		},
		"changeAgentGroupState": func(ctx context.Context, s *Service) error { return s.ChangeAgentGroupState(ctx, nil) },
		"createAgents": func(ctx context.Context, s *Service) error {
			return e2(s.CreateAgents(ctx, nil, nil, nil))
		},
		"createAgentsUsingString": func(ctx context.Context, s *Service) error {
			return e2(s.CreateAgentsUsingString(ctx, "", nil, nil))
		},
		"deleteAgents": func(ctx context.Context, s *Service) error { return e1(s.DeleteAgents(ctx, nil)) },
		"showAgentStateUsingUser": func(ctx context.Context, s *Service) error {
			return e1(s.ShowAgentStateUsingUser(ctx, nil))
		},
		"showAgentStateUsingDevice": func(ctx context.Context, s *Service) error {
			return e2(s.ShowAgentStateUsingDevice(ctx, nil, nil))
		},
		"listAgentStatesUsingEntity": func(ctx context.Context, s *Service) error {
			return e1(s.ListAgentStatesUsingEntity(ctx, nil))
		},
		"changeAgentState": func(ctx context.Context, s *Service) error { return e1(s.ChangeAgentState(ctx, nil)) },
		"acquireAgent":     func(ctx context.Context, s *Service) error { return e2(s.AcquireAgent(ctx, nil)) },
		"releaseAgent":     func(ctx context.Context, s *Service) error { return e1(s.ReleaseAgent(ctx, nil)) },
	}
}

// TestAuthorizeFirst checks that every operation refuses a call without a caller, or by a
// caller whose role does not allow it, with PERMISSION_DENIED naming it, before it checks its
// arguments or reads the store (the service has none: reading it would panic).
func TestAuthorizeFirst(t *testing.T) {
	s := NewService(nil, DefaultLimits())
	calls := operationCalls()
	if len(calls) != 25 {
		t.Fatalf("%d operations, want 25", len(calls))
	}
	for op, call := range calls {
		need, ok := minimumRole(op)
		if !ok {
			t.Errorf("%s: not in the table", op)
		}
		callers := map[string]context.Context{
			"no caller":    context.Background(),
			"unknown role": WithCaller(context.Background(), Caller{Name: "x", Role: "ROOT"}),
		}
		for _, r := range []Role{ReadOnly, Provisioning} {
			if rank(r) < rank(need) {
				callers[string(r)] = WithCaller(context.Background(), Caller{Name: "x", Role: r})
			}
		}
		for name, ctx := range callers {
			err := call(ctx, s)
			if ErrorCode(err) != PermissionDenied || ErrorArg(err) != op ||
				ErrorMessage(err) != "Permission denied for operation '"+op+"'" {
				t.Errorf("%s by %s: got %v", op, name, err)
			}
		}
	}
	if _, ok := minimumRole("dropDatabase"); ok {
		t.Error("an operation outside the table is allowed")
	}
}

// TestRoleTable checks the table against the contract: READ_ONLY calls the nine show and list
// operations, ADMINISTRATOR alone createOrg and deleteOrg, PROVISIONING the rest.
func TestRoleTable(t *testing.T) {
	counts := map[Role]int{}
	for op := range operationCalls() {
		need, _ := minimumRole(op)
		counts[need]++
	}
	if counts[ReadOnly] != 9 || counts[Administrator] != 2 || counts[Provisioning] != 14 {
		t.Errorf("operations by least role: %v", counts)
	}
}
