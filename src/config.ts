import { Ajv } from 'ajv';

/** The service configuration: validated once at start, frozen, and the only reader of the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Origin used in did:web identifiers, credential issuer ids and links, without trailing slash. */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly dbPoolMax: number;
  readonly adminToken: string | undefined;
  /** 32-byte key-encryption key, base64url/base64/hex; generated into keysDir in development. */
  readonly keyEncryptionKey: string | undefined;
  readonly keysDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly bodyLimit: number;
  readonly requestTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly demoInstitution: boolean;
  readonly clockSkewSeconds: number;
  readonly verifyRateLimitPerMinute: number;
  readonly trustListFile: string | undefined;
  readonly trustProxy: boolean;
}

interface VarSpec {
  key: keyof Config;
  schema: Record<string, unknown>;
  default?: (env: Record<string, string | undefined>) => string | undefined;
  meaning: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every environment variable the service reads, with its default and meaning (README's table is checked against this). */
export const ENV_VARS: Record<string, VarSpec> = {
  PORT: { key: 'port', schema: { type: 'integer', minimum: 0, maximum: 65535 }, default: () => '3000', meaning: 'TCP port to listen on.' },
  HOST: { key: 'host', schema: { type: 'string', minLength: 1 }, default: () => '127.0.0.1', meaning: 'Interface to listen on (0.0.0.0 in containers).' },
  PUBLIC_URL: {
    key: 'publicUrl',
    schema: { type: 'string', pattern: '^https?://[^/?#]+/?$' },
    default: (env) => `http://localhost:${env.PORT ?? '3000'}`,
    meaning: 'Public origin (scheme://host[:port], no path) used in did:web ids, issuer ids and links.',
  },
  DATA_DIR: { key: 'dataDir', schema: { type: 'string', minLength: 1 }, default: () => './data', meaning: 'Directory of the embedded PostgreSQL (PGlite) store; unused when DATABASE_URL is set.' },
  DATABASE_URL: { key: 'databaseUrl', schema: { type: 'string', pattern: '^postgres(ql)?://' }, meaning: 'PostgreSQL connection URL; when set, used instead of the embedded store.' },
  DB_POOL_MAX: { key: 'dbPoolMax', schema: { type: 'integer', minimum: 1, maximum: 500 }, default: () => '10', meaning: 'Maximum PostgreSQL connections per process.' },
  ADMIN_TOKEN: { key: 'adminToken', schema: { type: 'string', minLength: 24 }, meaning: 'Bearer token of the admin API; in development generated once into KEYS_DIR/admin-token.' },
  KEY_ENCRYPTION_KEY: {
    key: 'keyEncryptionKey',
    schema: { type: 'string', pattern: '^([A-Za-z0-9_-]{43}=?|[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$' },
    meaning: '32-byte key (base64url, base64 or hex) that encrypts institution private keys at rest; in development generated once into KEYS_DIR/kek.',
  },
  KEYS_DIR: { key: 'keysDir', schema: { type: 'string', minLength: 1 }, default: () => './keys', meaning: 'Where development secrets are generated (mode 0600) when not given.' },
  LOG_LEVEL: { key: 'logLevel', schema: { enum: LOG_LEVELS }, default: () => 'info', meaning: 'pino log level.' },
  NODE_ENV: {
    key: 'nodeEnv',
    schema: { enum: ['development', 'production', 'test'] },
    default: () => 'development',
    meaning: 'production requires ADMIN_TOKEN and KEY_ENCRYPTION_KEY to be given and creates no demo institution.',
  },
  BODY_LIMIT: { key: 'bodyLimit', schema: { type: 'integer', minimum: 1024, maximum: 104857600 }, default: () => '1048576', meaning: 'Largest accepted request body in bytes (larger: 413).' },
  REQUEST_TIMEOUT_MS: { key: 'requestTimeoutMs', schema: { type: 'integer', minimum: 1000 }, default: () => '30000', meaning: 'Time a client has to send its whole request.' },
  SHUTDOWN_TIMEOUT_MS: { key: 'shutdownTimeoutMs', schema: { type: 'integer', minimum: 100 }, default: () => '10000', meaning: 'Grace period for in-flight requests on SIGTERM/SIGINT.' },
  DEMO_INSTITUTION: {
    key: 'demoInstitution',
    schema: { type: 'boolean' },
    default: (env) => (env.NODE_ENV === 'production' ? 'false' : 'true'),
    meaning: 'Create the demo institution "demo-university" at start and print how to issue with it.',
  },
  CLOCK_SKEW_SECONDS: { key: 'clockSkewSeconds', schema: { type: 'integer', minimum: 0, maximum: 3600 }, default: () => '300', meaning: 'Clock skew tolerated by the verifier on validity dates and proof times.' },
  VERIFY_RATE_LIMIT: { key: 'verifyRateLimitPerMinute', schema: { type: 'integer', minimum: 1 }, default: () => '600', meaning: 'Public verification requests per client IP per minute.' },
  TRUST_LIST_FILE: { key: 'trustListFile', schema: { type: 'string', minLength: 1 }, meaning: 'JSON trust list (QA agencies, accreditations) loaded at start.' },
  TRUST_PROXY: { key: 'trustProxy', schema: { type: 'boolean' }, default: () => 'false', meaning: 'Trust X-Forwarded-* headers (behind a load balancer).' },
};

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true });

/** Parse and validate the environment into a frozen Config; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name] !== undefined && env[name] !== '' ? env[name] : spec.default?.(env);
    if (raw === undefined) {
      out[spec.key] = undefined;
      continue;
    }
    const holder = { v: raw.trim() as unknown };
    const validate = ajv.compile({ type: 'object', properties: { v: spec.schema } });
    if (!validate(holder)) {
      const why = validate.errors?.map((e) => e.message).join('; ') ?? 'invalid';
      problems.push(`${name}=${JSON.stringify(redactIfSecret(name, raw))}: ${why} (${spec.meaning})`);
      continue;
    }
    out[spec.key] = holder.v;
  }
  if (out.nodeEnv === 'production') {
    if (!out.adminToken) problems.push('ADMIN_TOKEN: required when NODE_ENV=production');
    if (!out.keyEncryptionKey) problems.push('KEY_ENCRYPTION_KEY: required when NODE_ENV=production');
  }
  if (problems.length) throw new ConfigError(problems);
  out.publicUrl = String(out.publicUrl).replace(/\/+$/, '');
  return Object.freeze(out) as unknown as Config;
}

function redactIfSecret(name: string, value: string): string {
  return name === 'ADMIN_TOKEN' || name === 'KEY_ENCRYPTION_KEY' || name === 'DATABASE_URL' ? '<redacted>' : value;
}
