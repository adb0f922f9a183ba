-- 0003: the PasswordDigest nonces accepted and not yet expired, one row each, so that
-- every process serving the database refuses a nonce any of them has seen. The same in
-- both dialects.
CREATE TABLE digest_nonces (
	operator TEXT   NOT NULL,
	nonce    TEXT   NOT NULL, -- the nonce's bytes in hexadecimal
	expires  BIGINT NOT NULL, -- Unix milliseconds UTC
	PRIMARY KEY (operator, nonce)
);
CREATE INDEX digest_nonces_expires ON digest_nonces (expires);
