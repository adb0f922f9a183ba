-- 0002: operators, the callers of the service (spec section 6). A password is kept as an
-- argon2id hash in PHC format; digest_secret, only for operators allowed PasswordDigest, is
-- the password sealed with AES-256-GCM under a key the database never holds.
CREATE TABLE operators (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT    NOT NULL UNIQUE,
	password_hash TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('READ_ONLY', 'PROVISIONING', 'ADMINISTRATOR')),
	-- The Enterprise or Account the operator is limited to; NULL for the whole system.
	-- Deleting that org deletes its operators: SET NULL would widen them to the whole
	-- system, and RESTRICT would fail deleteOrg on something the contract does not know of.
	scope_org_id  INTEGER REFERENCES orgs (id) ON DELETE CASCADE,
	digest_secret BLOB,
	-- engage demo's operator: serve refuses a non-loopback address while only these exist.
	demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	created       INTEGER NOT NULL,
	changed       INTEGER NOT NULL
);
-- The foreign key, for the cascade.
CREATE INDEX operators_scope_org_id ON operators (scope_org_id);
