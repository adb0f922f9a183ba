package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

// t0 is a creation time with millisecond precision, the precision the store keeps.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123_000_000, time.UTC)

// MustOpen opens a new database, closed when the test ends: a SQLite file in a temporary
// directory, or a new PostgreSQL schema when the tests run on PostgreSQL (storetest).
func MustOpen(tb testing.TB) *DB {
	tb.Helper()
	return MustOpenPath(tb, storetest.DSN(tb))
}

// sqliteOnly skips a test of SQLite's own machinery when the tests run on PostgreSQL.
func sqliteOnly(tb testing.TB) {
	tb.Helper()
	if storetest.Postgres() != "" {
		tb.Skip("SQLite only")
	}
}

// MustOpenPath opens the database at path (a --db value), closed when the test ends.
func MustOpenPath(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// MustWrite runs fn in a write transaction and fails the test on error.
func MustWrite(tb testing.TB, db *DB, fn func(provisioning.Tx) error) {
	tb.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		tb.Fatalf("Write: %v", err)
	}
}

// MustRead runs fn in a read transaction and fails the test on error.
func MustRead(tb testing.TB, db *DB, fn func(provisioning.Tx) error) {
	tb.Helper()
	if err := db.Read(context.Background(), fn); err != nil {
		tb.Fatalf("Read: %v", err)
	}
}

// MustExec runs raw SQL on the writer pool, for rows the Tx cannot write yet (agents).
func MustExec(tb testing.TB, db *DB, query string, args ...any) {
	tb.Helper()
	if _, err := db.writer.Exec(db.writer.Rebind(query), args...); err != nil {
		tb.Fatalf("exec %s: %v", query, err)
	}
}

// MustInsertOrg stores an org (an enterprise when parentID is 0) and returns it.
func MustInsertOrg(tb testing.TB, db *DB, parentID int64, externalID string) provisioning.Org {
	tb.Helper()
	o := provisioning.Org{ExternalID: externalID, Type: provisioning.Enterprise, ParentID: parentID,
		Name: "Org " + externalID, Created: t0}
	if parentID != 0 {
		o.Type = provisioning.Account
	}
	MustWrite(tb, db, func(tx provisioning.Tx) error { return tx.InsertOrg(&o) })
	if o.ID == 0 {
		tb.Fatalf("InsertOrg(%q) left ID 0", externalID)
	}
	return o
}

// MustAccount stores an enterprise and one of its accounts and returns the account.
func MustAccount(tb testing.TB, db *DB, enterprise, account string) provisioning.Org {
	tb.Helper()
	e := MustInsertOrg(tb, db, 0, enterprise)
	return MustInsertOrg(tb, db, e.ID, account)
}

// MustInsertUser stores an AGENT user of accountID and returns it.
func MustInsertUser(tb testing.TB, db *DB, accountID int64, externalID string) provisioning.User {
	tb.Helper()
	u := provisioning.User{AccountID: accountID, ExternalID: externalID, Type: provisioning.UserAgent,
		FirstName: "Ada", LastName: "Lovelace", Email: externalID + "@example.com", LoginEnabled: true,
		Attributes: []provisioning.Attribute{{Name: provisioning.RegistrationMethod, Value: "PHONE"}, {Name: "a", Value: "1"}},
		Created:    t0}
	MustWrite(tb, db, func(tx provisioning.Tx) error { return tx.InsertUser(&u) })
	return u
}

// newAgentGroup returns an agent group of accountID ready to insert.
func newAgentGroup(accountID int64, externalID string) provisioning.AgentGroup {
	return provisioning.AgentGroup{AccountID: accountID, ExternalID: externalID, Name: "Group " + externalID,
		Type: provisioning.Standard, AllocationMode: provisioning.Individual, Intensity: 3,
		InitialWorkState: provisioning.NotReady, MaxBreakTime: 600, Created: t0,
		State: provisioning.Stopped}
}

// MustInsertAgentGroup stores an agent group of accountID and returns it.
func MustInsertAgentGroup(tb testing.TB, db *DB, accountID int64, externalID string) provisioning.AgentGroup {
	tb.Helper()
	g := newAgentGroup(accountID, externalID)
	MustWrite(tb, db, func(tx provisioning.Tx) error { return tx.InsertAgentGroup(&g) })
	return g
}

// MustInsertScheduleGroup stores a schedule group of agentGroupID and returns it.
func MustInsertScheduleGroup(tb testing.TB, db *DB, agentGroupID int64, externalID string) provisioning.ScheduleGroup {
	tb.Helper()
	s := provisioning.ScheduleGroup{AgentGroupID: agentGroupID, ExternalID: externalID, Name: "Schedule " + externalID,
		StartTime: "08:00:00", EndTime: "17:30:00", Created: t0}
	MustWrite(tb, db, func(tx provisioning.Tx) error { return tx.InsertScheduleGroup(&s) })
	return s
}

// MustInsertAgent makes user an agent of group by raw SQL and returns the agent's id.
func MustInsertAgent(tb testing.TB, db *DB, u provisioning.User, g provisioning.AgentGroup, scheduleGroupID int64,
	workState provisioning.WorkState, contactState provisioning.ContactState, stateChanged time.Time) int64 {
	tb.Helper()
	var id int64
	if err := db.writer.Get(&id, db.writer.Rebind(`
		INSERT INTO agents (user_id, account_id, agent_group_id, schedule_group_id, work_state,
		                    contact_state, state_changed, idle_since, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.ID, u.AccountID, g.ID, nullID(scheduleGroupID), string(workState), string(contactState),
		stateChanged.UnixMilli(), stateChanged.UnixMilli(), t0.UnixMilli()); err != nil {
		tb.Fatalf("insert agent: %v", err)
	}
	return id
}

// listNames returns the users' externalIds of a list of agents.
func listNames(agents []provisioning.Agent) string {
	var out []string
	for _, a := range agents {
		out = append(out, a.User.ExternalID)
	}
	return fmt.Sprint(out)
}
