-- Institutions (tenants), their keys, issued credentials, idempotency records, audit log.

CREATE TABLE institutions (
  id                uuid PRIMARY KEY,
  slug              text NOT NULL UNIQUE,
  did               text NOT NULL UNIQUE,
  legal_name        text NOT NULL,
  country           text NOT NULL,
  legal_identifiers jsonb NOT NULL DEFAULT '{}'::jsonb,
  homepage          text,
  default_language  text NOT NULL DEFAULT 'en',
  settings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  -- SHA-256 of the API key; the key itself is shown once and never stored.
  api_key_hash      text NOT NULL UNIQUE,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE institution_keys (
  -- DID URL of the verification method.
  id             text PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  algorithm      text NOT NULL CHECK (algorithm IN ('Ed25519', 'P-256')),
  -- Public parts plus the AES-256-GCM encrypted private key.
  record         jsonb NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  retired_at     timestamptz
);
CREATE INDEX institution_keys_by_institution ON institution_keys (institution_id, algorithm, created_at);

CREATE TABLE credentials (
  id             text PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  mechanism      text NOT NULL,
  format         text NOT NULL,
  -- The secured credential as returned to the client (JSON-LD with proof, or the envelope).
  document       jsonb NOT NULL,
  jwt            text,
  subject_id     text,
  kind           text NOT NULL DEFAULT 'vc',
  issued_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credentials_by_institution ON credentials (institution_id, issued_at DESC);

CREATE TABLE idempotency_keys (
  institution_id uuid NOT NULL REFERENCES institutions(id),
  key            text NOT NULL,
  scope          text NOT NULL,
  request_hash   text NOT NULL,
  status_code    integer NOT NULL,
  response       jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (institution_id, scope, key)
);

CREATE TABLE audit_log (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor          text NOT NULL,
  institution_id uuid,
  action         text NOT NULL,
  target_type    text,
  target_id      text,
  detail         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_by_institution ON audit_log (institution_id, at DESC);
CREATE INDEX audit_log_by_action ON audit_log (action, at DESC);

-- The audit log is append-only: the database itself refuses changes and deletions.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
