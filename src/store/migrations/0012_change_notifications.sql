-- Every process keeps what verification reads on each request (an institution's DID document,
-- trust registry entries, the status of its own credentials' entries) in memory, and drops it
-- when these triggers announce a change. They fire for any writer: a service replica, the CLI
-- or an administrator's SQL. A notification is delivered at commit, on the channel of the
-- schema the tables live in; the payload is a topic, or a topic and a key ('topic:key').

CREATE OR REPLACE FUNCTION microcred_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('microcred:' || TG_TABLE_SCHEMA, TG_ARGV[0]);
  RETURN NULL;
END
$$;

-- One status entry changed: its list and index.
CREATE OR REPLACE FUNCTION microcred_announce_status_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e record;
BEGIN
  IF TG_OP = 'DELETE' THEN e := OLD; ELSE e := NEW; END IF;
  PERFORM pg_notify('microcred:' || TG_TABLE_SCHEMA, 'status:' || e.list_id || ':' || e.idx);
  RETURN NULL;
END
$$;

CREATE TRIGGER institutions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON institutions
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('institutions');
CREATE TRIGGER institution_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON institution_keys
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('institutions');

CREATE TRIGGER trust_organisations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trust_organisations
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('trust');
CREATE TRIGGER trust_accreditations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trust_accreditations
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('trust');

-- A list's purpose, size and institution are what a check reads of it; its version and state
-- change with every revocation and when it fills, which says nothing new to a verifier.
CREATE TRIGGER status_lists_changed AFTER UPDATE OF purpose, size, institution_id OR DELETE OR TRUNCATE ON status_lists
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('status');
-- Issuing links reserved entries (credential_id) and fires nothing; a revocation, suspension or
-- reinstatement sets status.
CREATE TRIGGER status_entries_changed AFTER UPDATE OF status OR DELETE ON status_entries
  FOR EACH ROW EXECUTE FUNCTION microcred_announce_status_entry();
CREATE TRIGGER status_entries_truncated AFTER TRUNCATE ON status_entries
  FOR EACH STATEMENT EXECUTE FUNCTION microcred_announce_change('status');
