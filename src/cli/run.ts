import { type CliIo, EXIT_USAGE, UsageError } from './io.js';
import { keysCommand } from './keys-command.js';
import { verifyCommand } from './verify-command.js';

/** Top-level help. */
export const CLI_USAGE = `usage: microcred <command>
  verify <file|-> [--registry <trust-list.json>] [--json] [--allow-network]   verify a credential or presentation
  keys generate                                                            print a new KEY_ENCRYPTION_KEY and ADMIN_TOKEN`;

/** Run the CLI with argv (without node and script); returns the exit code, never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'verify') return await verifyCommand(rest, io);
    if (command === 'keys') return await keysCommand(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(CLI_USAGE);
      return 0;
    }
    throw new UsageError(command ? `unknown command: ${command}\n${CLI_USAGE}` : CLI_USAGE);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return EXIT_USAGE;
    }
    io.err(`error: ${(err as Error).message}`);
    return 70; // EX_SOFTWARE: our fault, not the input's
  }
}
