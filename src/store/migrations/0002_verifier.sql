-- Single-use challenges handed to verifiers for presentation requests (stored as SHA-256).
CREATE TABLE presentation_challenges (
  challenge_hash text PRIMARY KEY,
  domain         text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX presentation_challenges_expiry ON presentation_challenges (expires_at);
