-- Bitstring Status Lists: one row per list, one row per allocated entry (its bit), and the
-- cached signed list credential. One row per bit means concurrent status changes never
-- read-modify-write a shared bitstring, so no update can be lost.

CREATE TABLE status_lists (
  id             uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  purpose        text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  -- Allocation capacity; the published bitstring is never shorter than 131072 bits.
  size           integer NOT NULL CHECK (size > 0),
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'full')),
  -- Bumped in the same transaction as every status change; the signed cache records the
  -- version it was built from, so any replica knows when it must re-sign.
  version        bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_lists_by_institution ON status_lists (institution_id, purpose, created_at);
-- At most one list per institution and purpose takes new entries at a time.
CREATE UNIQUE INDEX status_lists_one_open ON status_lists (institution_id, purpose) WHERE state = 'open';

CREATE TABLE status_entries (
  list_id       uuid NOT NULL REFERENCES status_lists(id),
  idx           integer NOT NULL CHECK (idx >= 0),
  -- NULL between reservation and the issuing commit; a crash there leaves the index
  -- reserved and unlinked, never reused.
  credential_id text REFERENCES credentials(id),
  status        boolean NOT NULL DEFAULT false,
  reserved_at   timestamptz NOT NULL,
  changed_at    timestamptz,
  PRIMARY KEY (list_id, idx)
);
CREATE INDEX status_entries_by_credential ON status_entries (credential_id) WHERE credential_id IS NOT NULL;
CREATE INDEX status_entries_set ON status_entries (list_id, idx) WHERE status;

CREATE TABLE status_list_credentials (
  list_id   uuid PRIMARY KEY REFERENCES status_lists(id),
  version   bigint NOT NULL,
  document  text NOT NULL,
  etag      text NOT NULL,
  signed_at timestamptz NOT NULL
);
