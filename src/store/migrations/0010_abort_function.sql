-- Aborts the statement that calls it (and every write that statement made) with SQLSTATE MC409
-- and the given message. Lets one statement check its own effects, e.g. that an issued
-- credential linked every status entry reserved for it, without a transaction around it.
CREATE OR REPLACE FUNCTION microcred_abort(message text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'MC409', MESSAGE = message;
END
$$;
