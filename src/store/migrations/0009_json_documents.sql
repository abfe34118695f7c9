-- Issued documents are stored and returned as they were signed, never queried inside: json
-- keeps their exact text (key order included) and spares the server building the binary jsonb
-- form of ~110 KB on every issuance (about a third of its work per EDC credential).
ALTER TABLE credentials ALTER COLUMN document TYPE json USING document::json;
ALTER TABLE idempotency_keys ALTER COLUMN response TYPE json USING response::json;
DO $$
BEGIN
  ALTER TABLE credentials ALTER COLUMN document SET COMPRESSION lz4;
  ALTER TABLE idempotency_keys ALTER COLUMN response SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server; large documents stay pglz-compressed';
END
$$;
