export { createCanonizePool, defaultMaxQueue, defaultPoolSize, DEFAULT_TASK_TIMEOUT_MS } from './canonize-pool.js';
export type { CanonizePool, CanonizeOptions, CanonizePoolOptions, PoolStats } from './canonize-pool.js';
export { OverloadedError } from './overloaded.js';
