import type { Config } from '../config.js';

/**
 * Route config of the anonymous endpoints that cost work or storage (verification, the wallet
 * nonce): VERIFY_RATE_LIMIT requests per client address per minute, each route counted apart.
 */
export function publicRateLimit(config: Config): { rateLimit: { max: number; timeWindow: string } } {
  return { rateLimit: { max: config.verifyRateLimitPerMinute, timeWindow: '1 minute' } };
}
