/**
 * Pages of the digital attendance sheets. The trainer's screen shows the sheet's QR code (its
 * link carries the code of the current 30-second step) and who has signed; a small script
 * reloads it every 15 seconds, and without JavaScript a link does. The trainee's page, reached
 * by scanning the code, shows what they sign and takes a drawn signature (canvas, pointer
 * events, public/emargement.js) or, without drawing or without JavaScript, a confirmation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { HttpProblem, problems, type FieldError } from '../../../http/problem.js';
import { sendPage } from '../../../http/render.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { formatDateTime } from '../../../http/format.js';
import { candidateOnly, hasHabilitation, requireHabilitation } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { formErrorsOf, frDate, Notice } from '../page-parts.js';
import { PERIOD_LABELS } from '../rules.js';
import { openSheetBody, sheetParams, signatureSchema } from './schemas.js';
import { closeSheetBy, getSheet, listSheetsOf, openSheet, signingPreview, signSheet } from './service.js';
import type { SignatureInput } from './rules.js';

const runners = requireHabilitation('kairos', ['trainer', 'attendance_officer']);
const readers = requireHabilitation('kairos', ['trainer', 'attendance_officer', 'reader']);
const openForm = z.object({ session: formField(100), date: formField(10), period: formField(5) });
const signatureForm = z.object({ jeton: formField(200), trace: formField(200_000), mode: formField(20) });
const tokenQuery = z.object({ jeton: formField(200) });

/**
 * The drawn strokes posted by the canvas script (SVG path data, one per line), checked by the
 * API's schema, or a confirmation.
 */
function signatureOf(form: { trace: string; mode: string }): SignatureInput {
  const paths = form.trace.split('\n').map((p) => p.trim()).filter(Boolean);
  if (form.mode !== 'trace') return { kind: 'confirmed' };
  const drawn = signatureSchema.safeParse({ kind: 'drawn', paths });
  if (!drawn.success) throw problems.invalid([{ field: 'signature', message: drawn.error.issues[0]?.message ?? 'Signature : tracé invalide.' }]);
  return drawn.data;
}

function SignaturePad({ label }: { label: string }) {
  return (
    <div class="signature-pad mb-3 d-none" data-signature-pad>
      <p class="mb-1">{label}</p>
      <canvas tabIndex={0} class="signature-canvas border rounded" width={600} height={220} aria-label="Zone de signature : tracez votre signature au doigt ou à la souris" role="img"></canvas>
      <input type="hidden" name="trace" value="" />
      <button type="button" class="btn btn-link px-0 signature-clear">Effacer le tracé</button>
      <p class="signature-message text-danger mb-0" role="alert"></p>
    </div>
  );
}

async function showList(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status = 200) {
  const actor = actorOf(request);
  const { sheets } = await listSheetsOf(app.ctx, actor, {});
  const runner = hasHabilitation(actor, 'kairos', ['trainer', 'attendance_officer']);
  const values = (request.body ?? {}) as Record<string, string>;
  return sendPage(request, reply, 'Émargement numérique', (csrf) => (
    <section>
      <h1 class="h3">Émargement numérique</h1>
      <ErrorSummary errors={errors} />
      {runner ? (
        <form method="post" action="/kairos/emargement" class="mb-4" novalidate>
          <CsrfField token={csrf} />
          <h2 class="h5">Ouvrir la feuille d’une demi-journée</h2>
          <p class="form-text">À partir de 30 minutes avant le début de la demi-journée, jusqu’à sa fin.</p>
          <div class="row g-3">
            <div class="col-sm-4">
              <label class="form-label" for="session">Session Carif-Oref</label>
              <input class="form-control" id="session" name="session" required maxLength={100} value={values.session ?? ''} aria-invalid={errors.some((e) => e.field === 'session') ? 'true' : undefined} />
            </div>
            <div class="col-sm-4">
              <label class="form-label" for="date">Date</label>
              <input class="form-control" id="date" name="date" type="date" required value={values.date ?? parisDay(app.ctx.clock.now())} aria-invalid={errors.some((e) => e.field === 'date') ? 'true' : undefined} />
            </div>
            <div class="col-sm-4">
              <label class="form-label" for="period">Demi-journée</label>
              <select class="form-select" id="period" name="period">
                <option value="am" selected={values.period !== 'pm'}>Matin</option>
                <option value="pm" selected={values.period === 'pm'}>Après-midi</option>
              </select>
            </div>
          </div>
          <button type="submit" class="btn btn-primary mt-3">Ouvrir la feuille</button>
        </form>
      ) : null}
      <h2 class="h5">Feuilles de l’organisme</h2>
      {sheets.length === 0 ? <p>Aucune feuille d’émargement pour le moment.</p> : (
        <ul>
          {sheets.map((s) => (
            <li key={s.id}>
              <a href={`/kairos/emargement/${s.id}`}>{s.session} — {frDate(s.date)} ({PERIOD_LABELS[s.period]})</a> : {s.status === 'open' ? 'ouverte' : 'close'}
            </li>
          ))}
        </ul>
      )}
    </section>
  ), status);
}

async function showSheet(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, id: string, errors: FieldError[] = [], status = 200) {
  const actor = actorOf(request);
  const sheet = await getSheet(app.ctx, actor, id, requestMeta(request));
  const runner = hasHabilitation(actor, 'kairos', ['trainer', 'attendance_officer']);
  const link = sheet.token ? `${app.ctx.config.publicUrl}/emarger?jeton=${encodeURIComponent(sheet.token)}` : null;
  // Loaded at the first sheet shown rather than at start (docs/decisions/0039).
  const qr = link ? await (await import('qrcode')).default.toDataURL(link, { margin: 1, width: 320 }) : null;
  const signed = sheet.trainees.filter((t) => t.signedAt).length;
  const notice = (request.query as { fait?: string }).fait === 'cloture' ? 'La feuille est close : les présences proposées attendent votre confirmation dans la grille d’assiduité.' : null;
  return sendPage(request, reply, `Émargement ${sheet.session}`, (csrf) => (
    <section data-sheet-status={sheet.status}>
      <p><a href="/kairos/emargement">Retour aux feuilles d’émargement</a></p>
      <h1 class="h3">Émargement — {sheet.session}, {frDate(sheet.date)} ({PERIOD_LABELS[sheet.period]}, {sheet.startsAt}–{sheet.endsAt})</h1>
      <ErrorSummary errors={errors} />
      <Notice text={notice} />
      {qr ? (
        <div class="text-center mb-3" id="qr-emargement" data-reload-seconds="15">
          <img src={qr} width={320} height={320} alt="Code QR d’émargement : les stagiaires le scannent avec leur téléphone pour signer" />
          <p class="form-text">Le code change toutes les 30 secondes. <a href={`/kairos/emargement/${sheet.id}`}>Rafraîchir</a></p>
        </div>
      ) : <p>Feuille close le {sheet.closedAt ? formatDateTime(new Date(sheet.closedAt)) : '—'} par {sheet.closedBy}. Empreinte SHA-256 : <code class="text-break">{sheet.contentHash}</code></p>}
      <h2 class="h5" id="titre-stagiaires">Stagiaires : {signed} signature{signed > 1 ? 's' : ''} sur {sheet.trainees.length}</h2>
      <table class="table table-cards" aria-labelledby="titre-stagiaires">
        <thead><tr><th scope="col">Stagiaire</th><th scope="col">Signature</th></tr></thead>
        <tbody>
          {sheet.trainees.map((t) => (
            <tr key={t.trainingId}>
              <th scope="row">{t.lastName} {t.firstName}</th>
              <td data-label="Signature">{t.signedAt ? `signé à ${formatDateTime(new Date(t.signedAt)).split(' à ')[1]}${t.signatureKind === 'confirmed' ? ' (présence confirmée)' : ''}` : sheet.status === 'open' ? 'pas encore signé' : 'non signé'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {runner && sheet.status === 'open' ? (
        <form method="post" action={`/kairos/emargement/${sheet.id}/cloture`} class="signature-form">
          <CsrfField token={csrf} />
          <h2 class="h5">Signer et clore la feuille</h2>
          <SignaturePad label="Votre signature de formateur (facultatif : sans tracé, la clôture vaut signature)." />
          <input type="hidden" name="mode" value="confirmation" />
          <button type="submit" class="btn btn-primary btn-lg">Signer et clore la feuille</button>
        </form>
      ) : null}
      <script src="/assets/emargement.js" defer></script>
    </section>
  ), status);
}

async function showSigning(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string, errors: FieldError[] = [], status = 200) {
  const actor = actorOf(request);
  let preview: Awaited<ReturnType<typeof signingPreview>> | null = null;
  try {
    // Without a scanned code the page only says how to get one; a code is checked and shown.
    if (token) preview = await signingPreview(app.ctx, actor, token);
  } catch (err) {
    const refused = formErrorsOf(err);
    if (!refused) throw err;
    errors = refused;
    status = 422;
  }
  return sendPage(request, reply, 'Émarger', (csrf) => (
    <section class="emargement">
      <h1 class="h3">Émarger</h1>
      <ErrorSummary errors={errors} />
      {preview ? (
        <form method="post" action="/emarger" class="signature-form">
          <CsrfField token={csrf} />
          <input type="hidden" name="jeton" value={token} />
          <p class="lead">{preview.title}<br />{preview.organisation}<br />{frDate(preview.date)}, {PERIOD_LABELS[preview.period]} ({preview.startsAt}–{preview.endsAt})</p>
          <SignaturePad label="Tracez votre signature ci-dessous, puis appuyez sur « Signer »." />
          <div class="d-grid gap-3">
            <button type="submit" name="mode" value="trace" class="btn btn-primary btn-lg d-none" data-needs-trace>Signer</button>
            <button type="submit" name="mode" value="confirmation" class="btn btn-outline-primary btn-lg">Je confirme ma présence</button>
          </div>
        </form>
      ) : <p>Demandez à votre formateur d’afficher le code de la feuille, puis scannez-le de nouveau.</p>}
      <script src="/assets/emargement.js" defer></script>
    </section>
  ), status);
}

export async function attendanceSheetPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/kairos/emargement', { config: { access: readers } }, (request, reply) => showList(app, request, reply));
  app.post('/kairos/emargement', { config: { access: runners }, schema: { body: openForm } }, async (request, reply) => {
    const parsed = openSheetBody.safeParse(request.body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'formulaire'), message: i.message }));
      return showList(app, request, reply, errors, 422);
    }
    try {
      const sheet = await openSheet(app.ctx, actorOf(request), parsed.data, requestMeta(request));
      return reply.redirect(`/kairos/emargement/${sheet.id}`, 303);
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return showList(app, request, reply, errors, err instanceof HttpProblem ? err.status : 422);
    }
  });
  app.get('/kairos/emargement/:id', { config: { access: readers }, schema: { params: sheetParams } }, (request, reply) => showSheet(app, request, reply, request.params.id));
  app.post('/kairos/emargement/:id/cloture', { config: { access: runners }, schema: { params: sheetParams, body: signatureForm.omit({ jeton: true }) } }, async (request, reply) => {
    try {
      const signature = signatureOf({ ...request.body, mode: request.body.trace ? 'trace' : '' });
      await closeSheetBy(app.ctx, actorOf(request), request.params.id, signature, requestMeta(request));
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return showSheet(app, request, reply, request.params.id, errors, err instanceof HttpProblem ? err.status : 422);
    }
    return reply.redirect(`/kairos/emargement/${request.params.id}?fait=cloture`, 303);
  });

  app.get('/emarger', { config: { access: candidateOnly }, schema: { querystring: tokenQuery } }, (request, reply) => showSigning(app, request, reply, request.query.jeton));
  app.post('/emarger', { config: { access: candidateOnly }, schema: { body: signatureForm } }, async (request, reply) => {
    try {
      const receipt = await signSheet(app.ctx, actorOf(request), { token: request.body.jeton, signature: signatureOf(request.body) }, requestMeta(request));
      return sendPage(request, reply, 'Présence enregistrée', () => (
        <section class="emargement">
          <h1 class="h3">Présence enregistrée</h1>
          <p class="alert alert-success" role="status">Vous avez émargé à {formatDateTime(new Date(receipt.signedAt)).split(' à ')[1]} : {receipt.title}, {frDate(receipt.date)} ({PERIOD_LABELS[receipt.period]}).</p>
          <p><a href="/mon-espace/formations">Voir mes formations</a></p>
        </section>
      ));
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return showSigning(app, request, reply, request.body.jeton, errors, err instanceof HttpProblem ? err.status : 422);
    }
  });
}
