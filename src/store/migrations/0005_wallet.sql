-- OID4VCI: prepared (unsigned) credentials, credential offers with their pre-authorized codes,
-- access tokens, c_nonces, deliveries to wallets and one-time learner links. Every secret
-- (pre-authorized code, offer handle, tx_code, access token, nonce, learner-link token) is
-- stored only as a SHA-256 hash.

CREATE TABLE wallet_prepared (
  -- urn:uuid: identifier handed to the institution; never the id of a delivered credential.
  id                   text PRIMARY KEY,
  institution_id       uuid NOT NULL REFERENCES institutions(id),
  -- The unsigned credential and issue options, signed at delivery.
  body                 jsonb NOT NULL,
  -- Set when the record was derived from an already issued credential (holder-bound re-issue).
  source_credential_id text REFERENCES credentials(id),
  created_at           timestamptz NOT NULL,
  created_by           text NOT NULL
);
CREATE INDEX wallet_prepared_by_institution ON wallet_prepared (institution_id, created_at DESC);
CREATE UNIQUE INDEX wallet_prepared_by_source ON wallet_prepared (source_credential_id) WHERE source_credential_id IS NOT NULL;

CREATE TABLE wallet_offers (
  id                uuid PRIMARY KEY,
  institution_id    uuid NOT NULL REFERENCES institutions(id),
  prepared_id       text NOT NULL REFERENCES wallet_prepared(id),
  configuration_ids text[] NOT NULL,
  -- SHA-256 of the credential_offer_uri handle and of the pre-authorized code.
  handle_hash       text NOT NULL UNIQUE,
  code_hash         text NOT NULL UNIQUE,
  -- SHA-256 of "<pre-authorized code>:<tx_code>" so a leaked table cannot brute-force short codes.
  tx_code_hash      text,
  tx_code_length    integer,
  tx_attempts       integer NOT NULL DEFAULT 0,
  status            text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'redeemed', 'locked')),
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  redeemed_at       timestamptz
);
CREATE INDEX wallet_offers_by_prepared ON wallet_offers (prepared_id, created_at DESC);

CREATE TABLE wallet_access_tokens (
  token_hash     text PRIMARY KEY,
  offer_id       uuid NOT NULL REFERENCES wallet_offers(id),
  institution_id uuid NOT NULL REFERENCES institutions(id),
  expires_at     timestamptz NOT NULL
);

CREATE TABLE wallet_nonces (
  nonce_hash     text PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX wallet_nonces_by_expiry ON wallet_nonces (expires_at);

CREATE TABLE wallet_deliveries (
  credential_id        text PRIMARY KEY REFERENCES credentials(id),
  institution_id       uuid NOT NULL REFERENCES institutions(id),
  prepared_id          text NOT NULL REFERENCES wallet_prepared(id),
  -- NULL for learner-link downloads.
  offer_id             uuid REFERENCES wallet_offers(id),
  configuration_id     text,
  holder               text,
  source_credential_id text REFERENCES credentials(id),
  delivered_at         timestamptz NOT NULL
);
-- One delivery per offer and credential configuration.
CREATE UNIQUE INDEX wallet_deliveries_once ON wallet_deliveries (offer_id, configuration_id) WHERE offer_id IS NOT NULL;
CREATE INDEX wallet_deliveries_by_prepared ON wallet_deliveries (prepared_id);

CREATE TABLE wallet_learner_links (
  token_hash     text PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institutions(id),
  prepared_id    text NOT NULL REFERENCES wallet_prepared(id),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
