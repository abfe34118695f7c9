-- Large documents (a signed EDC micro-credential is ~110 KB) are TOASTed and compressed on
-- every insert; PostgreSQL's default pglz spends ~2.5 ms of server CPU per credential, lz4
-- about a quarter of that and stores them smaller. Servers (and PGlite) built without lz4
-- keep pglz: the change is an optimisation, never a requirement.
DO $$
BEGIN
  ALTER TABLE credentials ALTER COLUMN document SET COMPRESSION lz4;
  ALTER TABLE credentials ALTER COLUMN jwt SET COMPRESSION lz4;
  ALTER TABLE idempotency_keys ALTER COLUMN response SET COMPRESSION lz4;
  ALTER TABLE status_list_credentials ALTER COLUMN document SET COMPRESSION lz4;
  ALTER TABLE wallet_prepared ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server; large documents stay pglz-compressed';
END
$$;
