/** /kairos: the application's home, with the dashboards of the roles held above its links. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { ExportLinks } from '../../http/views/export-links.js';
import { applicationLinks, applicationsFor } from '../portal/service.js';
import { ORGANISATION_SORTS, type OrganisationSort } from './repository.js';
import { dashboardPageQuery } from './schemas.js';
import { dashboardFor, dashboardRoles, hasDashboard } from './service.js';
import { AdvisorBlock, AgencyBlock, OrganisationBlock } from './views.js';
import { TrainerBlock } from './trainer-views.js';
import { dashboardReaders } from './routes.js';

export async function dashboardPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/kairos', { config: { access: dashboardReaders }, schema: { querystring: dashboardPageQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const appInfo = (await applicationsFor(app.ctx, actor)).find((a) => a.code === 'kairos');
    if (!appInfo) throw problems.forbidden();
    const tri = request.query.tri;
    const sort: OrganisationSort = (ORGANISATION_SORTS as readonly string[]).includes(tri) ? (tri as OrganisationSort) : 'retards';
    const roles = dashboardRoles(actor);
    const dashboard = hasDashboard(roles) ? await dashboardFor(app.ctx, actor, requestMeta(request), sort) : null;
    const links = applicationLinks(appInfo);
    return sendPage(request, reply, appInfo.name, () => (
      <>
        <h1 class="h3">{appInfo.name}</h1>
        <p>
          Vos rôles dans cette application : {appInfo.roles.map((r) => r.label).join(', ')}.
          {dashboard ? ` Chiffres au ${dashboard.today.split('-').reverse().join('/')}.` : ''}
        </p>
        {dashboard?.organisation ? <OrganisationBlock block={dashboard.organisation} /> : null}
        {dashboard?.advisor ? <AdvisorBlock block={dashboard.advisor} /> : null}
        {dashboard?.agency ? <AgencyBlock block={dashboard.agency} /> : null}
        {dashboard?.trainer ? <TrainerBlock block={dashboard.trainer} /> : null}
        {dashboard ? <ExportLinks kind="statistics" label="Indicateurs du tableau de bord" filters={{ tri: dashboard.agency ? sort : null }} /> : null}
        <section aria-labelledby="titre-liens">
          <h2 id="titre-liens" class="h4">Pages de l’application</h2>
          <p>{appInfo.description}</p>
          {links.length ? <ul id="liens-application">{links.map((l) => <li><a href={l.href}>{l.label}</a></li>)}</ul> : null}
          <p><a href="/portail">Retour au portail</a></p>
        </section>
      </>
    ));
  });
}
