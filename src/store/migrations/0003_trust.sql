-- Trust registry: organisations (institutions, QA agencies, registry operators), trust anchors
-- and accreditations (ELM Accreditation nodes, optionally with the signed accreditation credential).

CREATE TABLE trust_organisations (
  id                 uuid PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('institution', 'qa-agency', 'registry-operator')),
  legal_name         text NOT NULL,
  -- ISO 3166-1 alpha-2 when known.
  country            text,
  dids               text[] NOT NULL DEFAULT '{}',
  uris               text[] NOT NULL DEFAULT '{}',
  legal_identifiers  jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- "kind:VALUE" normalised keys of legal_identifiers, indexed for lookups.
  legal_id_keys      text[] NOT NULL DEFAULT '{}',
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  -- Trust anchors: only a trust list or an administrator may set this; imports never do.
  trusted            boolean NOT NULL DEFAULT false,
  trust_source       text CHECK (trust_source IN ('trust-list', 'admin')),
  source             text NOT NULL CHECK (source IN ('trust-list', 'admin', 'qdr', 'accreditation-credential')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT trusted OR trust_source IS NOT NULL)
);
CREATE INDEX trust_organisations_dids ON trust_organisations USING gin (dids);
CREATE INDEX trust_organisations_uris ON trust_organisations USING gin (uris);
CREATE INDEX trust_organisations_legal_ids ON trust_organisations USING gin (legal_id_keys);
CREATE INDEX trust_organisations_trusted ON trust_organisations (kind) WHERE trusted;

CREATE TABLE trust_accreditations (
  -- The accreditation's own URI (http://data.europa.eu/snb/..., urn:epass:accreditation:...).
  id                    text PRIMARY KEY,
  organisation_id       uuid REFERENCES trust_organisations(id),
  accrediting_agent_id  uuid REFERENCES trust_organisations(id),
  organisation_uri      text,
  accrediting_agent_uri text,
  accreditation_type    text,
  date_issued           timestamptz,
  expiry_date           timestamptz,
  review_date           timestamptz,
  limit_qualifications  text[] NOT NULL DEFAULT '{}',
  limit_eqf_levels      text[] NOT NULL DEFAULT '{}',
  limit_fields          text[] NOT NULL DEFAULT '{}',
  limit_jurisdictions   text[] NOT NULL DEFAULT '{}',
  limit_credential_types text[] NOT NULL DEFAULT '{}',
  -- The ELM Accreditation node without @context.
  node                  jsonb NOT NULL,
  source                text NOT NULL CHECK (source IN ('trust-list', 'admin', 'qdr', 'accreditation-credential')),
  -- Signed accreditation credential issued by the accrediting agent, when supplied.
  credential            jsonb,
  credential_issuer     text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trust_accreditations_by_organisation ON trust_accreditations (organisation_id);
CREATE INDEX trust_accreditations_by_agent ON trust_accreditations (accrediting_agent_id);
