/** Idempotent writes on /api/v1: the hooks the application registers and the purge of old answers. */
export { registerIdempotency, REPLAYED_HEADER } from './hooks.js';
export { IDEMPOTENCY_PURGE, registerIdempotencyJobs } from './jobs.js';
export { KEY_LIFETIME_MS, purgeExpiredKeys } from './service.js';
