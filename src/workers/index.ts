export { createCanonizePool, defaultPoolSize } from './canonize-pool.js';
export type { CanonizePool, CanonizeOptions, PoolStats } from './canonize-pool.js';
