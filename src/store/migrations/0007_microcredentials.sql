-- Micro-credential templates (course specifications) and bulk issuance batches.

CREATE TABLE mc_templates (
  id             uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  name           text NOT NULL,
  -- The request fields that are not per learner (title, outcomes, workload, level, ...).
  spec           jsonb NOT NULL,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX mc_templates_by_institution ON mc_templates (institution_id, created_at, id);

CREATE TABLE mc_batches (
  id             uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  -- receiving: rows still being uploaded (the runner ignores it); queued/running; done.
  status         text NOT NULL CHECK (status IN ('receiving', 'queued', 'running', 'done')),
  template_id    uuid,
  -- Snapshot of the template at submission, so later edits do not change a running batch.
  template       jsonb,
  options        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Audit actor of the submitter; the runner issues on its behalf.
  actor          jsonb NOT NULL,
  total          integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  completed_at   timestamptz
);
CREATE INDEX mc_batches_by_institution ON mc_batches (institution_id, created_at DESC);
CREATE INDEX mc_batches_active ON mc_batches (status) WHERE status IN ('queued', 'running');

CREATE TABLE mc_batch_rows (
  batch_id       uuid NOT NULL REFERENCES mc_batches(id) ON DELETE CASCADE,
  row_number     integer NOT NULL,
  -- Client row key (CSV column row_key / JSON rowKey); defaults to the row number. NULL only
  -- on a row refused as a duplicate key (NULLs do not collide in the unique constraint).
  row_key        text,
  status         text NOT NULL CHECK (status IN ('pending', 'processing', 'issued', 'failed')),
  input          jsonb NOT NULL,
  -- Claim token and lease: a row whose lease ran out (crashed worker) is claimable again.
  claimed_by     text,
  lease_until    timestamptz,
  credential_id  text,
  error_code     text,
  error_message  text,
  error_detail   jsonb,
  finished_at    timestamptz,
  PRIMARY KEY (batch_id, row_number),
  UNIQUE (batch_id, row_key)
);
CREATE INDEX mc_batch_rows_open ON mc_batch_rows (batch_id, row_number) WHERE status IN ('pending', 'processing');
CREATE INDEX mc_batch_rows_by_status ON mc_batch_rows (batch_id, status, row_number);
