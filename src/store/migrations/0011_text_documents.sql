-- Issued documents and stored responses are written by the service as JSON text and only ever
-- read back whole: text keeps them byte for byte without the server lexing ~110 KB of JSON on
-- every issuance (as json does, to validate it). Changing the type resets the compression.
ALTER TABLE credentials ALTER COLUMN document TYPE text;
ALTER TABLE idempotency_keys ALTER COLUMN response TYPE text;
DO $$
BEGIN
  ALTER TABLE credentials ALTER COLUMN document SET COMPRESSION lz4;
  ALTER TABLE idempotency_keys ALTER COLUMN response SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server; large documents stay pglz-compressed';
END
$$;
