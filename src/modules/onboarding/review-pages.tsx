import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatDate, formatDateTime } from '../../http/format.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { CsrfField } from '../../http/views/layout.js';
import { letterPdf, listLetters, markLetterSent, membershipRequestOfLetter, regenerateActivationLetter } from './letters-service.js';
import { approveMembershipRequest, getMembershipRequest, listMembershipRequests, rejectMembershipRequest } from './membership-service.js';
import { agencyAdmin } from './routes.js';
import { isRealDate } from './rules.js';
import { emptyForm, letterParams, rejectForm, requestParams } from './schemas.js';

const STATUS_LABELS = { pending: 'En attente', approved: 'Acceptée', rejected: 'Refusée' } as const;
const KIND_LABELS = { identifier: 'Courrier d’identifiant', activation: 'Courrier d’activation' } as const;
const NOTICES = {
  acceptee: 'Demande acceptée. Les deux courriers sont en préparation : téléchargez-les puis envoyez-les séparément.',
  refusee: 'Demande refusée ; le motif a été envoyé au demandeur.',
  envoye: 'Courrier marqué comme envoyé.',
  regenere: 'Nouveau courrier d’activation en préparation ; l’ancien code ne fonctionne plus.',
} as const;
type Letters = Awaited<ReturnType<typeof listLetters>>;

function LettersTable({ letters, csrf }: { letters: Letters; csrf: string }) {
  return (
    <table class="table table-sm align-middle">
      <caption>Courriers de l’organisme</caption>
      <thead>
        <tr><th scope="col">Courrier</th><th scope="col">Référence</th><th scope="col">Créé le</th><th scope="col">Envoi</th><th scope="col">Actions</th></tr>
      </thead>
      <tbody>
        {letters.map((l) => (
          <tr>
            <td>{KIND_LABELS[l.kind]}</td>
            <td class="font-monospace">{l.reference}</td>
            <td>{formatDateTime(l.created_at)}</td>
            <td>{l.sent_at ? `Envoyé le ${formatDate(l.sent_at)}` : 'À envoyer'}</td>
            <td class="d-flex gap-2 flex-wrap">
              {l.pdf_sealed ? <a class="btn btn-sm btn-outline-primary" href={`/admin/courriers/${l.id}/pdf`}>Télécharger<span class="visually-hidden"> le {KIND_LABELS[l.kind].toLowerCase()} {l.reference}</span></a> : l.sent_at ? null : <span>En préparation</span>}
              {!l.sent_at && l.pdf_sealed ? (
                <form method="post" action={`/admin/courriers/${l.id}/envoye`}><CsrfField token={csrf} /><button class="btn btn-sm btn-outline-secondary" type="submit">Marquer envoyé<span class="visually-hidden"> : {l.reference}</span></button></form>
              ) : null}
              {l.kind === 'activation' ? (
                <form method="post" action={`/admin/courriers/${l.id}/regenerer`}><CsrfField token={csrf} /><button class="btn btn-sm btn-outline-danger" type="submit">Régénérer<span class="visually-hidden"> le courrier d’activation {l.reference}</span></button></form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function reviewPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: agencyAdmin };

  app.get('/admin/adhesions', { config }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const status = ['pending', 'approved', 'rejected'].includes(String(q.statut)) ? (String(q.statut) as 'pending') : undefined;
    // Dates come from <input type="date"> (aaaa-mm-jj); anything else is ignored, not an error.
    const day = (v: unknown) => (typeof v === 'string' && isRealDate(v) ? v : undefined);
    const from = day(q.du);
    const to = day(q.au);
    const requests = await listMembershipRequests(app.ctx, { status, from, to });
    return sendPage(request, reply, 'Demandes d’adhésion', () => (
      <section>
        <h1 class="h3">Demandes d’adhésion</h1>
        <form method="get" action="/admin/adhesions" class="row g-2 align-items-end mb-3">
          <div class="col-auto">
            <label class="form-label" for="statut">Statut</label>
            <select class="form-select" id="statut" name="statut">
              <option value="">Tous</option>
              {Object.entries(STATUS_LABELS).map(([k, label]) => <option value={k} selected={status === k}>{label}</option>)}
            </select>
          </div>
          <div class="col-auto">
            <label class="form-label" for="du">Reçues depuis le</label>
            <input class="form-control" type="date" id="du" name="du" value={from ?? ''} />
          </div>
          <div class="col-auto">
            <label class="form-label" for="au">Jusqu’au</label>
            <input class="form-control" type="date" id="au" name="au" value={to ?? ''} />
          </div>
          <div class="col-auto"><button class="btn btn-secondary" type="submit">Filtrer</button></div>
        </form>
        <table class="table">
          <caption class="visually-hidden">Demandes d’adhésion</caption>
          <thead><tr><th scope="col">Organisme</th><th scope="col">SIRET</th><th scope="col">Reçue le</th><th scope="col">Statut</th></tr></thead>
          <tbody>
            {requests.map((r) => (
              <tr><td><a href={`/admin/adhesions/${r.id}`}>{r.legal_name}</a></td><td>{r.siret}</td><td>{formatDate(r.created_at)}</td><td>{STATUS_LABELS[r.status]}</td></tr>
            ))}
          </tbody>
        </table>
        {requests.length === 0 ? <p>Aucune demande.</p> : null}
      </section>
    ));
  });

  app.get('/admin/adhesions/:id', { config, schema: { params: requestParams } }, async (request, reply) => {
    const r = await getMembershipRequest(app.ctx, request.params.id);
    const letters = r.organisation_id ? await listLetters(app.ctx, r.organisation_id) : [];
    const notice = NOTICES[String((request.query as Record<string, unknown>).fait) as keyof typeof NOTICES];
    return sendPage(request, reply, `Demande de ${r.legal_name}`, (csrf) => (
      <section>
        <h1 class="h3">{r.legal_name}</h1>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        <dl class="row">
          <dt class="col-sm-4">Statut</dt><dd class="col-sm-8">{STATUS_LABELS[r.status]}{r.reason ? ` — motif : ${r.reason}` : ''}</dd>
          <dt class="col-sm-4">SIRET</dt><dd class="col-sm-8">{r.siret}</dd>
          <dt class="col-sm-4">NDA</dt><dd class="col-sm-8">{r.nda}</dd>
          <dt class="col-sm-4">Qualiopi</dt><dd class="col-sm-8">{r.qualiopi ? `Oui, jusqu’au ${r.qualiopi_expiry?.split('-').reverse().join('/')}` : 'Non'}</dd>
          <dt class="col-sm-4">Adresse</dt><dd class="col-sm-8">{r.address}</dd>
          <dt class="col-sm-4">Responsable de gestion des comptes</dt><dd class="col-sm-8">{r.manager_first_name} {r.manager_last_name}, {r.manager_email}, {r.manager_phone}</dd>
          {letters[0] ? <><dt class="col-sm-4">Identifiant du responsable</dt><dd class="col-sm-8 font-monospace">{letters[0].login}</dd></> : null}
          <dt class="col-sm-4">Reçue le</dt><dd class="col-sm-8">{formatDateTime(r.created_at)}</dd>
        </dl>
        {r.status === 'pending' ? (
          <div class="d-flex gap-4 flex-wrap">
            <form method="post" action={`/admin/adhesions/${r.id}/acceptation`}><CsrfField token={csrf} /><button class="btn btn-success" type="submit">Accepter la demande</button></form>
            <form method="post" action={`/admin/adhesions/${r.id}/refus`} class="flex-grow-1">
              <CsrfField token={csrf} />
              <label class="form-label" for="reason">Motif du refus (envoyé au demandeur)</label>
              <textarea class="form-control mb-2" id="reason" name="reason" rows={2} required minLength={5} maxLength={2000}></textarea>
              <button class="btn btn-outline-danger" type="submit">Refuser la demande</button>
            </form>
          </div>
        ) : null}
        {letters.length ? <LettersTable letters={letters} csrf={csrf} /> : null}
      </section>
    ));
  });

  // Confirmations travel as fixed codes, never as free text a crafted link could inject.
  const back = (id: string, done: keyof typeof NOTICES) => `/admin/adhesions/${id}?fait=${done}`;

  app.post('/admin/adhesions/:id/acceptation', { config, schema: { params: requestParams, body: emptyForm } }, async (request, reply) => {
    const { id } = request.params;
    await approveMembershipRequest(app.ctx, actorOf(request), id, requestMeta(request));
    return reply.redirect(back(id, 'acceptee'), 303);
  });

  // A refused reason is an error page naming the field (the form's `minlength` says it first in a browser).
  app.post('/admin/adhesions/:id/refus', { config, schema: { params: requestParams, body: rejectForm } }, async (request, reply) => {
    const { id } = request.params;
    await rejectMembershipRequest(app.ctx, actorOf(request), id, request.body.reason, requestMeta(request));
    return reply.redirect(back(id, 'refusee'), 303);
  });

  app.get('/admin/courriers/:id/pdf', { config, schema: { params: letterParams } }, async (request, reply) => {
    const { pdf, reference } = await letterPdf(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${reference}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });

  app.post('/admin/courriers/:id/envoye', { config, schema: { params: letterParams, body: emptyForm } }, async (request, reply) => {
    const { id } = request.params;
    await markLetterSent(app.ctx, actorOf(request), id, requestMeta(request));
    const requestId = await membershipRequestOfLetter(app.ctx, id);
    return reply.redirect(requestId ? back(requestId, 'envoye') : '/admin/adhesions', 303);
  });

  app.post('/admin/courriers/:id/regenerer', { config, schema: { params: letterParams, body: emptyForm } }, async (request, reply) => {
    const { id } = request.params;
    await regenerateActivationLetter(app.ctx, actorOf(request), id, requestMeta(request));
    const requestId = await membershipRequestOfLetter(app.ctx, id);
    return reply.redirect(requestId ? back(requestId, 'regenere') : '/admin/adhesions', 303);
  });
}
