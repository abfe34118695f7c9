-- Share links for the pre-verified credential view (GET /credentials/{id}/view?token=…).
-- Only the SHA-256 of the token is stored: a database leak does not leak working links.
CREATE TABLE credential_share_tokens (
  token_hash     text PRIMARY KEY,
  credential_id  text NOT NULL REFERENCES credentials(id),
  institution_id uuid NOT NULL REFERENCES institutions(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX credential_share_tokens_by_credential ON credential_share_tokens (credential_id, expires_at DESC);
