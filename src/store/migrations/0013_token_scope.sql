-- An access token issued for `authorization_details` (OID4VCI 1.0 token request) covers only the
-- configurations asked for, and the wallet then names them by credential_identifier. NULL: the
-- token covers its whole offer (no authorization_details).
ALTER TABLE wallet_access_tokens ADD COLUMN configuration_ids text[];
