import { parseArgs } from 'node:util';
import { AppError } from '../errors.js';
import { type CliIo, UsageError } from './io.js';
import { createOfflineVerifier } from './offline-verifier.js';
import { exitCodeOf, formatReport } from './print-report.js';

/** Help text of `microcred verify`. */
export const VERIFY_USAGE = `usage: microcred verify <file|-> [--registry <trust-list.json>] [--json] [--allow-network]
  Verifies a credential or presentation (JSON-LD with Data Integrity, vc+jwt / vp+jwt compact JWS, or an
  Enveloped credential) offline with the bundled JSON-LD contexts. did:key and did:jwk resolve offline;
  did:web and status lists need --allow-network and are otherwise indeterminate.
  exit status: 0 valid, 1 invalid, 2 indeterminate, 64 usage error`;

/** A credential file: JSON, or a compact JWS (vc+jwt) as plain text. */
function parseInput(text: string): unknown {
  const trimmed = text.trim();
  // An object goes to the verifier as text: it parses JSON as the service does (no "__proto__" keys).
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return trimmed; // the verifier reports it as unparsable
    }
  }
  return trimmed;
}

/** `microcred verify`: returns the exit code. */
export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  let values: { json?: boolean; registry?: string; 'allow-network'?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, registry: { type: 'string' }, 'allow-network': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${VERIFY_USAGE}`);
  }
  if (values.help) {
    io.out(VERIFY_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`verify takes exactly one file (or - for stdin).\n${VERIFY_USAGE}`);
  const source = positionals[0]!;
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : await io.readFile(source);
  } catch (err) {
    throw new UsageError(`cannot read ${source}: ${(err as Error).message}`);
  }
  let verifier;
  try {
    verifier = await createOfflineVerifier({ allowNetwork: values['allow-network'] ?? false, ...(values.registry ? { registryFile: values.registry } : {}) });
  } catch (err) {
    // A bad trust list is the caller's input: the message names the file.
    if (err instanceof AppError) throw new UsageError(err.message);
    throw err;
  }
  try {
    const report = await verifier.verify(parseInput(text));
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return exitCodeOf(report);
  } finally {
    await verifier.close();
  }
}

