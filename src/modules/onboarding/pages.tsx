import type { FastifyInstance } from 'fastify';
import { activationPages } from './activation-pages.js';
import { membershipPages } from './membership-pages.js';
import { reviewPages } from './review-pages.js';

export async function onboardingPages(app: FastifyInstance): Promise<void> {
  await app.register(membershipPages);
  await app.register(reviewPages);
  await app.register(activationPages);
}
