import { readFile } from 'node:fs/promises';

/** What a command may touch: output streams, stdin and files (injected for tests). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
}

/** A usage error: exit 64 (EX_USAGE) with the message on stderr. */
export class UsageError extends Error {}

/** Exit status of a usage error (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

/** The process's own streams and files. */
export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(Buffer.from(c as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: (p) => readFile(p, 'utf8'),
  };
}
