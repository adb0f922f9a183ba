-- 0001: organizations, users, agent groups, schedule groups, and the agent tables the
-- agent work builds on. Ids are AUTOINCREMENT so a deleted row's id is never reused.
-- Times are INTEGER Unix milliseconds UTC; an optional time that is not set is NULL.

CREATE TABLE orgs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	external_id TEXT    NOT NULL,
	type        TEXT    NOT NULL CHECK (type IN ('ENTERPRISE', 'ACCOUNT')),
	parent_id   INTEGER REFERENCES orgs (id),
	name        TEXT    NOT NULL DEFAULT '',
	created     INTEGER NOT NULL,
	-- an enterprise is always top level
	CHECK (type = 'ACCOUNT' OR parent_id IS NULL)
);
-- externalId is unique among the top-level orgs (the enterprises) ...
CREATE UNIQUE INDEX orgs_top_external_id ON orgs (external_id) WHERE parent_id IS NULL;
-- ... and among the accounts of one enterprise; this also indexes the parent_id foreign key.
CREATE UNIQUE INDEX orgs_parent_external_id ON orgs (parent_id, external_id);
-- FindOrgs in any parent.
CREATE INDEX orgs_external_id ON orgs (external_id);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id    INTEGER NOT NULL REFERENCES orgs (id),
	external_id   TEXT    NOT NULL,
	type          TEXT    NOT NULL CHECK (type IN ('AGENT', 'SUPERVISOR', 'ADMINISTRATOR')),
	first_name    TEXT    NOT NULL DEFAULT '',
	last_name     TEXT    NOT NULL DEFAULT '',
	email         TEXT    NOT NULL DEFAULT '',
	login_enabled INTEGER NOT NULL DEFAULT 0 CHECK (login_enabled IN (0, 1)),
	-- JSON array of {"name","value"} objects, in order
	attributes    TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(attributes)),
	created       INTEGER NOT NULL,
	UNIQUE (account_id, external_id)
);
CREATE INDEX users_external_id ON users (external_id);

CREATE TABLE agent_groups (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id         INTEGER NOT NULL REFERENCES orgs (id),
	external_id        TEXT    NOT NULL,
	name               TEXT    NOT NULL DEFAULT '',
	type               TEXT    NOT NULL CHECK (type IN ('STANDARD', 'ENHANCED', 'REMOTE')),
	allocation_mode    TEXT    NOT NULL CHECK (allocation_mode IN ('INDIVIDUAL', 'GROUP')),
	intensity          INTEGER NOT NULL DEFAULT 0,
	initial_work_state TEXT    NOT NULL
		CHECK (initial_work_state IN ('LOGGED_OUT', 'NOT_READY', 'READY', 'BREAK')),
	max_break_time     INTEGER NOT NULL DEFAULT 0, -- seconds
	created            INTEGER NOT NULL,
	-- the group state
	state              TEXT    NOT NULL CHECK (state IN ('ACTIVE', 'PAUSED', 'STOPPED')),
	allocated_count    INTEGER NOT NULL DEFAULT 0,
	current_start_time INTEGER,
	current_end_time   INTEGER,
	UNIQUE (account_id, external_id)
);
CREATE INDEX agent_groups_external_id ON agent_groups (external_id);

CREATE TABLE schedule_groups (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	agent_group_id INTEGER NOT NULL REFERENCES agent_groups (id) ON DELETE CASCADE,
	external_id    TEXT, -- optional: NULL when not given
	name           TEXT    NOT NULL DEFAULT '',
	start_time     TEXT CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'), -- hh:mm:ss
	end_time       TEXT CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'),
	created        INTEGER NOT NULL,
	-- NULLs are distinct, so only given externalIds must be unique; a plain (not partial)
	-- constraint so that it also indexes agent_group_id for the cascade and the counts.
	UNIQUE (agent_group_id, external_id)
);
CREATE INDEX schedule_groups_external_id ON schedule_groups (external_id);

CREATE TABLE devices (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id  INTEGER NOT NULL REFERENCES orgs (id),
	external_id TEXT    NOT NULL,
	UNIQUE (account_id, external_id)
);

CREATE TABLE agents (
	id                   INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id              INTEGER NOT NULL UNIQUE REFERENCES users (id),
	account_id           INTEGER NOT NULL REFERENCES orgs (id),
	agent_group_id       INTEGER NOT NULL REFERENCES agent_groups (id),
	schedule_group_id    INTEGER REFERENCES schedule_groups (id),
	work_state           TEXT    NOT NULL
		CHECK (work_state IN ('LOGGED_OUT', 'NOT_READY', 'READY', 'BREAK')),
	requested_work_state TEXT    NOT NULL DEFAULT ''
		CHECK (requested_work_state IN ('', 'LOGGED_OUT', 'NOT_READY', 'READY', 'BREAK')),
	requested_action     TEXT    NOT NULL DEFAULT 'NONE'
		CHECK (requested_action IN ('NONE', 'LOGIN', 'LOGOUT')),
	contact_state        TEXT    NOT NULL DEFAULT 'IDLE'
		CHECK (contact_state IN ('IDLE', 'RESERVED', 'CONNECTED', 'WRAP_UP')),
	device_id            INTEGER REFERENCES devices (id),
	contact_since        INTEGER,
	phone_number         TEXT    NOT NULL DEFAULT '',
	state_changed        INTEGER NOT NULL,
	idle_since           INTEGER NOT NULL,
	created              INTEGER NOT NULL
);
-- A phone number is used by one agent of an account at a time.
CREATE UNIQUE INDEX agents_phone_number ON agents (account_id, phone_number) WHERE phone_number <> '';
-- The account_id foreign key (the partial index above cannot serve it).
CREATE INDEX agents_account_id ON agents (account_id);
-- The agents of a group, and the group's counts.
CREATE INDEX agents_agent_group_id ON agents (agent_group_id);
-- The READY and IDLE agents of a schedule group, longest idle first; also indexes the
-- schedule_group_id foreign key.
CREATE INDEX agents_schedule_group_ready ON agents (schedule_group_id, work_state, contact_state, idle_since);
CREATE INDEX agents_device_id ON agents (device_id);
