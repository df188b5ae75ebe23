import type { FastifyInstance } from 'fastify';
import { outboxPages } from '../mail/pages.js';
import { apiTokenPages, apiTokenRoutes } from '../modules/api-tokens/index.js';
import { auditPages } from '../modules/audit/pages.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { candidateRoutes, dataExportRoutes } from '../modules/candidates/index.js';
import { dashboardPages, dashboardRoutes } from '../modules/dashboard/index.js';
import { exportRoutes } from '../modules/exports/index.js';
import { gidGovernance, gidPages, gidRoutes } from '../modules/habilitations/index.js';
import { identityPages, identityRoutes } from '../modules/identity/index.js';
import { onboardingPages } from '../modules/onboarding/pages.js';
import { onboardingRoutes } from '../modules/onboarding/routes.js';
import { portalPages } from '../modules/portal/pages.js';
import { portalRoutes } from '../modules/portal/routes.js';
import { advisorQuotePages, candidateQuotePages, quotePages, quoteRoutes, quoteTemplatePages, quoteTemplateRoutes } from '../modules/quotes/index.js';
import { supportRoutes } from '../modules/support/index.js';
import { myTrainingRoutes, trainingPages, trainingRoutes } from '../modules/training/index.js';
import { securityAlertPages } from '../modules/security/alerts-pages.js';
import { securityAlertRoutes } from '../modules/security/alerts-routes.js';
import { webhookPages, webhookRoutes } from '../modules/webhooks/index.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics-route.js';
import { openApiRoutes } from './openapi/document.js';
import { apiDocsRoutes } from './openapi/docs-page.js';

/** Every module's routes and pages; each route declares its access rule (see auth.ts). */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(metricsRoutes); // Prometheus: loopback or METRICS_TOKEN only
  // The API described: its OpenAPI document, generated from the routes, and its reference page.
  await app.register(openApiRoutes);
  await app.register(apiDocsRoutes);
  // Support: help centre (/aide), error references and incidents, requests (/support/demandes, the agents' queue).
  await app.register(supportRoutes);
  await app.register(identityRoutes);
  await app.register(identityPages);
  await app.register(portalRoutes);
  await app.register(portalPages);
  // Dashboards: /kairos and GET /api/v1/dashboard.
  await app.register(dashboardRoutes);
  await app.register(dashboardPages);
  // Spreadsheet exports of the lists, the attendance grid and the dashboard: /api/v1/exports/….
  await app.register(exportRoutes);
  await app.register(outboxPages);
  await app.register(gidRoutes);
  await app.register(gidPages);
  // Organisation API tokens: issued by the account manager (/gid/api), overseen by the agency.
  await app.register(apiTokenRoutes);
  await app.register(apiTokenPages);
  // GID governance: access review, security policy, change of account manager, audit trail.
  for (const plugin of [gidGovernance, auditRoutes, auditPages]) {
    await app.register(plugin);
  }
  await app.register(onboardingRoutes);
  await app.register(onboardingPages);
  // Funding quotes: candidates, then quotes (drafts, submission, decisions) and their templates.
  await app.register(candidateRoutes);
  await app.register(dataExportRoutes); // the candidate's right of access: /api/v1/me/data-export(.pdf)
  await app.register(quoteRoutes);
  await app.register(quoteTemplateRoutes);
  await app.register(quotePages); // Quote editor pages: /devis.
  await app.register(quoteTemplatePages); // Template pages: /devis/modeles.
  await app.register(candidateQuotePages); // Candidate's space: /mon-espace, /mon-espace/devis/{id}.
  await app.register(advisorQuotePages); // Advisor's queue and decision: /conseiller/devis.
  // Training follow-up: trainings, attendance, statements, withdrawal, report; the candidate's own.
  await app.register(trainingRoutes);
  await app.register(myTrainingRoutes);
  await app.register(trainingPages); // /kairos/formations, /kairos/assiduite (grid, CSV import), /mon-espace/formations
  // Security alerts: bulk-access suspensions, held accounts, and their review.
  await app.register(securityAlertRoutes);
  await app.register(securityAlertPages);
  // Signed webhooks of an organisation: /api/v1/organisations/{orgId}/webhooks, /gid/api/webhooks.
  await app.register(webhookRoutes);
  await app.register(webhookPages);
}
