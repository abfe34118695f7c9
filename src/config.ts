import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
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
  /**
   * Which X-Forwarded-For entries to believe: false (none), or those added by the proxies at these
   * addresses/ranges; true believes every entry (the client can write the left-most one).
   */
  readonly trustProxy: boolean | string[];
  /** OID4VCI: lifetimes, tx_code policy and key-proof clock window (see ENV_VARS). */
  readonly offerTtlSeconds: number;
  readonly txCodeLength: number;
  readonly txCodeMaxAttempts: number;
  readonly accessTokenTtlSeconds: number;
  readonly cNonceTtlSeconds: number;
  readonly proofIatWindowSeconds: number;
  readonly learnerLinkTtlSeconds: number;
  /** Worker threads for JSON-LD canonicalization (0 = in the request thread). */
  readonly workerThreads: number;
  /** Service processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  readonly processes: number;
  /** Bearer token required by GET /metrics; unset = public. */
  readonly metricsToken: string | undefined;
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
  VERIFY_RATE_LIMIT: { key: 'verifyRateLimitPerMinute', schema: { type: 'integer', minimum: 1 }, default: () => '600', meaning: 'Requests per client IP per minute to each anonymous endpoint that costs work or storage (verification, the web verification page, the wallet nonce endpoint).' },
  TRUST_LIST_FILE: { key: 'trustListFile', schema: { type: 'string', minLength: 1 }, meaning: 'JSON trust list (QA agencies, accreditations) loaded at start.' },
  TRUST_PROXY: {
    key: 'trustProxy',
    // true/false, or a comma-separated list of proxy addresses, CIDR ranges or the names
    // loopback, linklocal, uniquelocal; the list's entries are checked after parsing (trustProxyOf).
    schema: { type: 'string', pattern: '^[A-Za-z0-9.:/, ]+$', maxLength: 2000 },
    default: () => 'false',
    meaning: 'Which X-Forwarded-* headers to trust behind a load balancer: false, or the load balancers\' addresses/CIDR ranges (or loopback, linklocal, uniquelocal); true trusts every hop, so a client can choose the address it is rate-limited and logged by.',
  },
  OFFER_TTL_SECONDS: { key: 'offerTtlSeconds', schema: { type: 'integer', minimum: 30, maximum: 2592000 }, default: () => '600', meaning: 'OID4VCI: lifetime of a credential offer and its pre-authorized code.' },
  TX_CODE_LENGTH: { key: 'txCodeLength', schema: { type: 'integer', minimum: 4, maximum: 12 }, default: () => '6', meaning: 'OID4VCI: digits in a transaction code (tx_code).' },
  TX_CODE_MAX_ATTEMPTS: { key: 'txCodeMaxAttempts', schema: { type: 'integer', minimum: 1, maximum: 20 }, default: () => '5', meaning: 'OID4VCI: wrong tx_code attempts after which the pre-authorized code dies.' },
  ACCESS_TOKEN_TTL_SECONDS: { key: 'accessTokenTtlSeconds', schema: { type: 'integer', minimum: 30, maximum: 86400 }, default: () => '300', meaning: 'OID4VCI: lifetime of an access token from the token endpoint.' },
  C_NONCE_TTL_SECONDS: { key: 'cNonceTtlSeconds', schema: { type: 'integer', minimum: 30, maximum: 86400 }, default: () => '300', meaning: 'OID4VCI: lifetime of a c_nonce from the nonce endpoint.' },
  PROOF_IAT_WINDOW_SECONDS: { key: 'proofIatWindowSeconds', schema: { type: 'integer', minimum: 5, maximum: 3600 }, default: () => '300', meaning: 'OID4VCI: how far a key proof\'s iat may lie from the server clock.' },
  LEARNER_LINK_TTL_SECONDS: { key: 'learnerLinkTtlSeconds', schema: { type: 'integer', minimum: 60, maximum: 7776000 }, default: () => '604800', meaning: 'Lifetime of a one-time learner download link.' },
  WORKER_THREADS: { key: 'workerThreads', schema: { type: 'integer', minimum: 0, maximum: 64 }, default: () => String(availableParallelism()), meaning: 'Worker threads that canonicalize, with jsonld.js, the JSON-LD documents the fast path does not cover (0: in the request thread); default one per core.' },
  PROCESSES: { key: 'processes', schema: { type: 'integer', minimum: 1, maximum: 64 }, default: () => '1', meaning: 'Service processes sharing the port (each with its own event loop: one per core uses every core); more than 1 needs DATABASE_URL, the embedded store belongs to one process.' },
  METRICS_TOKEN: { key: 'metricsToken', schema: { type: 'string', minLength: 16 }, meaning: 'When set, GET /metrics requires `Authorization: Bearer <token>`; unset, /metrics is public (scrapers usually send no auth: keep it on an internal network).' },
};

/** Variables the service sets for itself (never configured): the index of a process started by PROCESSES. */
export const INTERNAL_ENV = Object.freeze({ PROCESS_INDEX: 'MICROCRED_PROCESS_INDEX' });

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
  if (typeof out.processes === 'number' && out.processes > 1 && !out.databaseUrl) {
    problems.push(`PROCESSES=${out.processes}: more than one process needs DATABASE_URL (the embedded store belongs to one process)`);
  }
  if (out.nodeEnv === 'production') {
    if (!out.adminToken) problems.push('ADMIN_TOKEN: required when NODE_ENV=production');
    if (!out.keyEncryptionKey) problems.push('KEY_ENCRYPTION_KEY: required when NODE_ENV=production');
  }
  if (typeof out.trustProxy === 'string') {
    const trust = trustProxyOf(out.trustProxy);
    if (typeof trust === 'string') problems.push(`TRUST_PROXY=${JSON.stringify(out.trustProxy)}: ${trust} (${ENV_VARS.TRUST_PROXY!.meaning})`);
    else out.trustProxy = trust;
  }
  if (problems.length) throw new ConfigError(problems);
  out.publicUrl = String(out.publicUrl).replace(/\/+$/, '');
  return Object.freeze(out) as unknown as Config;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Fastify's trustProxy takes it, or why it is not valid. */
function trustProxyOf(raw: string): boolean | string[] | string {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  // Fastify refuses to trust by hop count alone (it cannot tell a proxy from a client that adds hops).
  if (/^[0-9]+$/.test(raw)) return 'a hop count is not accepted; list the proxies\' addresses or ranges instead';
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const e of entries) {
    if (PROXY_NAMES.has(e)) continue;
    const [address, prefix, extra] = e.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) return `"${e}" is not an IP address, a CIDR range or one of ${[...PROXY_NAMES].join(', ')}`;
  }
  return entries.length > 0 ? entries : 'no proxy address given';
}

function redactIfSecret(name: string, value: string): string {
  return name === 'ADMIN_TOKEN' || name === 'KEY_ENCRYPTION_KEY' || name === 'DATABASE_URL' || name === 'METRICS_TOKEN' ? '<redacted>' : value;
}
