/**
 * /kairos/assiduite/import: a whole month of the organisation's attendance from a CSV file. The
 * form posts the file (multipart) and the page answers with the count or every refused line;
 * with JavaScript (public/attendance-import.js) the file goes to the API instead, with a progress
 * bar for the upload and the checking, and the same result shown in place.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField } from '../../../http/views/layout.js';
import { importAttendanceCsv } from './import-service.js';
import { fileSource } from './csv-upload.js';
import { acceptCsvForms, type CsvForm } from './csv-body.js';
import { CSV_HEADER, CSV_MAX_LINES, type CsvError } from './csv-rules.js';
import { attendanceOfficers } from '../policy.js';
import { csvFormBody } from './schemas.js';

/** Beyond this many refused lines the page says how many more there are. */
const SHOWN_ERRORS = 500;

type Outcome = { imported: number } | { status: number; detail: string; errors: CsvError[] } | null;

function Result({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  if ('imported' in outcome) {
    return <p class="alert alert-success" role="status" id="resultat-titre" tabIndex={-1}>Import terminé : {outcome.imported.toLocaleString('fr-FR')} demi-journée(s) enregistrée(s).</p>;
  }
  const shown = outcome.errors.slice(0, SHOWN_ERRORS);
  return (
    <div class="alert alert-danger" role="alert">
      <h2 class="h5" id="resultat-titre" tabIndex={-1}>{outcome.detail}</h2>
      {shown.length ? (
        <table class="table table-sm mb-0">
          <caption>Lignes refusées ({outcome.errors.length})</caption>
          <thead><tr><th scope="col">Ligne</th><th scope="col">Colonne</th><th scope="col">Problème</th></tr></thead>
          <tbody>{shown.map((e) => <tr><td>{e.line ?? '—'}</td><td>{e.field}</td><td>{e.message}</td></tr>)}</tbody>
        </table>
      ) : null}
      {outcome.errors.length > SHOWN_ERRORS ? <p class="mb-0">… et {outcome.errors.length - SHOWN_ERRORS} autre(s) erreur(s).</p> : null}
    </div>
  );
}

function showImport(request: FastifyRequest, reply: FastifyReply, outcome: Outcome, status = 200) {
  const failed = outcome && !('imported' in outcome);
  return sendPage(request, reply, failed ? 'Erreur — Import d’assiduité' : 'Import d’assiduité', (csrf) => (
    <section>
      <p><a href="/kairos/formations">Retour au suivi des formations</a> · <a href="/kairos/assiduite">Grille d’assiduité</a></p>
      <h1 class="h3">Importer l’assiduité (fichier CSV)</h1>
      <p>
        Un fichier pour tout un mois de votre organisme, jusqu’à {CSV_MAX_LINES.toLocaleString('fr-FR')} lignes : séparateur point-virgule, encodage UTF-8
        (avec ou sans BOM), dates au format jj/mm/aaaa. L’import est <strong>tout ou rien</strong> : si une ligne est refusée, rien n’est enregistré et
        chaque erreur est listée avec son numéro de ligne. Voir <a href="/aide/declarer-assiduite">l’aide sur l’import</a>.
      </p>
      <p>Première ligne attendue :</p>
      <pre class="bg-light p-2 border"><code>{CSV_HEADER}</code></pre>
      <form method="post" action="/kairos/assiduite/import" enctype="multipart/form-data" id="form-import" class="mb-3" novalidate>
        <CsrfField token={csrf} />
        <div class="mb-3">
          <label class="form-label" for="fichier">Fichier CSV</label>
          <input class="form-control" type="file" id="fichier" name="fichier" accept=".csv,text/csv" required aria-describedby="fichier-aide" />
          <div id="fichier-aide" class="form-text">Les fichiers volumineux affichent une barre de progression pendant l’envoi et la vérification.</div>
        </div>
        <button class="btn btn-primary" type="submit">Importer le fichier</button>
      </form>
      <div id="suivi-import" hidden>
        <label class="form-label" for="progression-import">Progression de l’import</label>
        <progress id="progression-import" class="w-100 d-block mb-2" max={100} value={0}></progress>
        <p id="etat-import" role="status" aria-live="polite"></p>
      </div>
      <div id="resultat-import"><Result outcome={outcome} /></div>
      <script src="/assets/attendance-import.js" defer></script>
    </section>
  ), status);
}

export async function trainingImportPages(app: FastifyInstance): Promise<void> {
  app.get('/kairos/assiduite/import', { config: { access: attendanceOfficers } }, (request, reply) => showImport(request, reply, null));

  // The multipart parser lives in this scope only.
  await app.register(async (scope) => {
    acceptCsvForms(scope);
    scope.post('/kairos/assiduite/import', { config: { access: attendanceOfficers }, schema: { body: csvFormBody } }, async (request, reply) => {
      const form = request.body as CsvForm | undefined;
      if (!form?.file) {
        return showImport(request, reply, { status: 422, detail: 'Choisissez un fichier CSV à importer.', errors: [{ line: 0, field: 'fichier', message: 'Fichier : aucun fichier choisi.' }] }, 422);
      }
      try {
        const result = await importAttendanceCsv(app.ctx, actorOf(request), fileSource(form.file), requestMeta(request));
        return showImport(request, reply, result);
      } catch (err) {
        if (!(err instanceof HttpProblem) || ![409, 413, 422].includes(err.status)) throw err;
        return showImport(request, reply, { status: err.status, detail: err.detail, errors: (err.errors ?? []) as CsvError[] }, err.status);
      } finally {
        await form.file.remove();
      }
    });
  });
}
