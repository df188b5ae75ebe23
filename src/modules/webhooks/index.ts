/** The webhooks module's door: its routes and pages, the delivery job, and the emission other modules call in their transactions. */
export { DELIVER_JOB, WEBHOOK_EVENTS, emitWebhookEvent, type WebhookEventType } from './events.js';
export { deliveryJobHandler } from './delivery.js';
export { webhookPages } from './pages.js';
export { webhookRoutes } from './routes.js';
