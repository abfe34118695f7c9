export { runCli, CLI_USAGE } from './run.js';
export { verifyCommand, VERIFY_USAGE } from './verify-command.js';
export { keysCommand } from './keys-command.js';
export { createOfflineVerifier } from './offline-verifier.js';
export type { OfflineVerifier, OfflineVerifierOptions } from './offline-verifier.js';
export { formatReport, exitCodeOf } from './print-report.js';
export { processIo, UsageError, EXIT_USAGE } from './io.js';
export type { CliIo } from './io.js';
