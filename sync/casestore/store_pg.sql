-- store_pg.sql — the case store's schema on PostgreSQL for a region (README "Run for a
-- region", sync/casestore/store.h). Run once per region database as a superuser:
--     psql -v ON_ERROR_STOP=1 -d inloop -f sync/casestore/store_pg.sql
-- then, per municipality (its code, e.g. g0363, lower case):
--     psql -d inloop -c "CALL inloop.add_tenant('g0363')"
-- which makes two login roles, casestore_g0363 for its case-store front-ends (insert and
-- read) and office_g0363 for its office (read, record the first contact, erase after
-- the retention period). Rows are kept
-- apart by row-level security in the database: a role sees and writes only its own
-- municipality's rows, whatever the SQL it sends. The tables belong to inloop_owner, a
-- role that cannot log in (an owner would bypass the policies unless FORCE'd; both hold).
-- Idempotent: running it again changes nothing.
\set ON_ERROR_STOP 1
SET client_min_messages TO warning;
BEGIN;
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inloop_owner') THEN
		CREATE ROLE inloop_owner NOLOGIN;
	END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS inloop AUTHORIZATION inloop_owner;
REVOKE ALL ON SCHEMA inloop FROM PUBLIC;
SET LOCAL ROLE inloop_owner;

-- Which login role belongs to which municipality, and for what.
CREATE TABLE IF NOT EXISTS inloop.tenant_roles (
	role name PRIMARY KEY,
	tenant text NOT NULL CHECK (tenant ~ '^[a-z0-9_]{1,40}$'),
	kind text NOT NULL CHECK (kind IN ('casestore', 'office')));
ALTER TABLE inloop.tenant_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE inloop.tenant_roles FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_role ON inloop.tenant_roles;
CREATE POLICY own_role ON inloop.tenant_roles USING (role = current_user);

-- The sealed envelopes (ciphertext only), one row per record id; each envelope once.
CREATE TABLE IF NOT EXISTS inloop.records (
	id uuid PRIMARY KEY,
	tenant text NOT NULL,
	device text NOT NULL,
	received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	seq bigint GENERATED ALWAYS AS IDENTITY,
	envelope bytea NOT NULL,
	sha256 bytea NOT NULL UNIQUE,
	contacted date,
	txid xid8 NOT NULL DEFAULT pg_current_xact_id());   -- the inserting transaction (list since)
ALTER TABLE inloop.records ALTER envelope SET STORAGE EXTERNAL;   -- sealed bytes don't compress
CREATE INDEX IF NOT EXISTS records_tenant_arrival ON inloop.records (tenant, received_at, seq);
CREATE INDEX IF NOT EXISTS records_tenant_txid ON inloop.records (tenant, txid);

-- Tombstones of envelopes erased after the retention period: no bytes, only their digest,
-- so a device that sends the record again is answered as before (200 / 409). Keyed per
-- municipality: an office may write tombstones (erase_record runs as the office), and one
-- written by B under an id of A's must not block A's erasure of that record.
CREATE TABLE IF NOT EXISTS inloop.erased (
	id uuid NOT NULL,
	tenant text NOT NULL,
	device text NOT NULL,
	received_at timestamptz NOT NULL,
	size int NOT NULL,
	sha256 bytea NOT NULL,
	erased_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (tenant, id),
	UNIQUE (tenant, sha256));
-- A database made before the keys were per municipality: re-key it (once).
DO $$ BEGIN
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'inloop.erased'::regclass
		   AND contype IN ('p', 'u') AND array_length(conkey, 1) = 1) THEN
		ALTER TABLE inloop.erased DROP CONSTRAINT IF EXISTS erased_pkey,
			DROP CONSTRAINT IF EXISTS erased_sha256_key,
			ADD PRIMARY KEY (tenant, id), ADD UNIQUE (tenant, sha256);
	END IF;
END $$;

-- The municipality of the role this session runs as (NULL: none, so no row matches).
CREATE OR REPLACE FUNCTION inloop.current_tenant() RETURNS text
	LANGUAGE sql STABLE SET search_path = inloop, pg_temp AS
	$$ SELECT tenant FROM inloop.tenant_roles WHERE role = current_user $$;

ALTER TABLE inloop.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE inloop.records FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_tenant ON inloop.records;
CREATE POLICY own_tenant ON inloop.records
	USING (tenant = inloop.current_tenant()) WITH CHECK (tenant = inloop.current_tenant());
ALTER TABLE inloop.erased ENABLE ROW LEVEL SECURITY;
ALTER TABLE inloop.erased FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_tenant ON inloop.erased;
CREATE POLICY own_tenant ON inloop.erased
	USING (tenant = inloop.current_tenant()) WITH CHECK (tenant = inloop.current_tenant());

-- One put, decided by the database: 201 stored now, 200 the id holds these bytes, 409 the
-- id holds other bytes (or belongs to another municipality: nothing of it shows), 422 the
-- same bytes are stored under another id. READ COMMITTED: when another session inserts
-- the same id at the same moment, the INSERT waits for it, and the SELECT (a statement of
-- its own, with a fresh snapshot) sees the winner's row.
CREATE OR REPLACE FUNCTION inloop.put_record(p_id uuid, p_device text, p_env bytea)
	RETURNS int LANGUAGE plpgsql SET search_path = inloop, pg_temp AS $$
DECLARE
	cur bytea;
BEGIN
	SELECT sha256 INTO cur FROM inloop.erased WHERE id = p_id;
	IF FOUND THEN
		RETURN CASE WHEN cur = sha256(p_env) THEN 200 ELSE 409 END;
	END IF;
	IF EXISTS (SELECT 1 FROM inloop.erased WHERE sha256 = sha256(p_env)) THEN
		RETURN 422;
	END IF;
	INSERT INTO inloop.records (id, tenant, device, envelope, sha256)
	VALUES (p_id, inloop.current_tenant(), p_device, p_env, sha256(p_env))
	ON CONFLICT DO NOTHING;
	IF FOUND THEN
		RETURN 201;
	END IF;
	SELECT envelope INTO cur FROM inloop.records WHERE id = p_id;
	IF FOUND THEN
		RETURN CASE WHEN cur = p_env THEN 200 ELSE 409 END;
	END IF;
	IF EXISTS (SELECT 1 FROM inloop.records WHERE sha256 = sha256(p_env)) THEN
		RETURN 422;
	END IF;
	RETURN 409;
END $$;
REVOKE ALL ON FUNCTION inloop.put_record(uuid, text, bytea) FROM PUBLIC;

-- Retention: the envelope goes, a tombstone stays (0 erased, 1 no such id). The bytes
-- leave the table files once VACUUM has run (README "Run for a region").
CREATE OR REPLACE FUNCTION inloop.erase_record(p_id uuid) RETURNS int
	LANGUAGE sql SET search_path = inloop, pg_temp AS $$
	WITH gone AS (DELETE FROM inloop.records WHERE id = p_id
		RETURNING id, tenant, device, received_at, length(envelope) AS size, sha256),
	kept AS (INSERT INTO inloop.erased (id, tenant, device, received_at, size, sha256)
		SELECT * FROM gone RETURNING 1)
	SELECT CASE WHEN count(*) = 1 THEN 0 ELSE 1 END FROM kept $$;
REVOKE ALL ON FUNCTION inloop.erase_record(uuid) FROM PUBLIC;
RESET ROLE;

-- Adds a municipality: its two roles (NOBYPASSRLS, no password: give one, or a client
-- certificate, or peer authentication in pg_hba.conf) and their rights. Needs CREATEROLE.
CREATE OR REPLACE PROCEDURE inloop.add_tenant(p_tenant text) LANGUAGE plpgsql AS $$
DECLARE
	cs name := 'casestore_' || p_tenant;
	office name := 'office_' || p_tenant;
BEGIN
	IF p_tenant !~ '^[a-z0-9_]{1,40}$' THEN
		RAISE EXCEPTION 'a municipality code is lower-case letters, digits and _: %', p_tenant;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = cs) THEN
		EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS', cs);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = office) THEN
		EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS', office);
	END IF;
	EXECUTE format('GRANT USAGE ON SCHEMA inloop TO %I, %I', cs, office);
	EXECUTE format('GRANT SELECT ON inloop.tenant_roles TO %I, %I', cs, office);
	EXECUTE format('GRANT SELECT, INSERT ON inloop.records TO %I', cs);
	EXECUTE format('GRANT SELECT ON inloop.erased TO %I', cs);
	EXECUTE format('GRANT SELECT, INSERT ON inloop.erased TO %I', office);
	EXECUTE format('GRANT DELETE ON inloop.records TO %I', office);
	EXECUTE format('GRANT EXECUTE ON FUNCTION inloop.erase_record(uuid) TO %I', office);
	EXECUTE format('GRANT EXECUTE ON FUNCTION inloop.put_record(uuid, text, bytea) TO %I', cs);
	EXECUTE format('GRANT SELECT, UPDATE (contacted) ON inloop.records TO %I', office);
	INSERT INTO inloop.tenant_roles VALUES (cs, p_tenant, 'casestore'), (office, p_tenant, 'office')
		ON CONFLICT (role) DO NOTHING;
END $$;
REVOKE ALL ON PROCEDURE inloop.add_tenant(text) FROM PUBLIC;
COMMIT;
