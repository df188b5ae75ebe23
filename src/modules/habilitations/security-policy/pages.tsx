import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formatDate, formatDateTime } from '../../../http/format.js';
import { formErrors } from '../../../http/forms.js';
import type { FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { accountManagerOnly, agencyAdminOnly } from '../access.js';
import { noticeOf, redirectAfterPost, sentText } from '../forms.js';
import { POLICY_FIELDS, POLICY_LABELS, POLICY_MAX, POLICY_MIN, frenchNumber, type PolicyField } from './rules.js';
import { policyForm } from './schemas.js';
import { getSecurityPolicy, organisationsMissingPolicy, saveSecurityPolicy, type PolicyView } from './service.js';

const HELP: Record<PolicyField, string> = {
  rolesPolicy: `Quels postes reçoivent quelles habilitations (rédaction des devis, assiduité, consultation, assistance), et qui les valide. De ${POLICY_MIN} à ${frenchNumber(POLICY_MAX)} caractères.`,
  departuresPolicy: `Comment et sous quel délai les accès d’une personne qui quitte l’organisme ou change de poste sont retirés. De ${POLICY_MIN} à ${frenchNumber(POLICY_MAX)} caractères.`,
  otherRules: `Facultatif : postes partagés interdits, verrouillage des écrans, signalement des incidents… Jusqu’à ${frenchNumber(POLICY_MAX)} caractères.`,
};

type Values = Record<PolicyField, string>;

function PolicyForm({ values, errors, csrf }: { values: Values; errors: FieldError[]; csrf: string }) {
  const errorOf = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <form method="post" action="/gid/politique-securite" novalidate>
      <CsrfField token={csrf} />
      {POLICY_FIELDS.map((f) => (
        <div class="mb-3">
          <label class="form-label fw-semibold" for={f}>{POLICY_LABELS[f]}{f === 'otherRules' ? ' (facultatif)' : ''}</label>
          <textarea
            class={`form-control${errorOf(f) ? ' is-invalid' : ''}`}
            id={f}
            name={f}
            rows={6}
            maxLength={POLICY_MAX}
            required={f !== 'otherRules'}
            aria-invalid={errorOf(f) ? 'true' : undefined}
            aria-describedby={`${f}-aide${errorOf(f) ? ` ${f}-erreur` : ''}`}
          >
            {values[f]}
          </textarea>
          <div id={`${f}-aide`} class="form-text">{HELP[f]}</div>
          {errorOf(f) ? <div id={`${f}-erreur`} class="invalid-feedback">{errorOf(f)}</div> : null}
        </div>
      ))}
      <button class="btn btn-primary" type="submit">Enregistrer la politique</button>
    </form>
  );
}

function valuesOf(policy: PolicyView | null): Values {
  return { rolesPolicy: policy?.rolesPolicy ?? '', departuresPolicy: policy?.departuresPolicy ?? '', otherRules: policy?.otherRules ?? '' };
}

export async function securityPolicyPages(app: FastifyInstance): Promise<void> {
  const show = async (request: FastifyRequest, reply: FastifyReply, values: Values | null, errors: FieldError[], status = 200) => {
    const actor = actorOf(request);
    const policy = await getSecurityPolicy(app.ctx, actor, actor.organisation?.id);
    const notice = status === 200 ? noticeOf(request, { enregistree: 'La politique de sécurité est enregistrée.' }) : null;
    return sendPage(request, reply, errors.length ? 'Erreur — Politique de sécurité interne' : 'Politique de sécurité interne', (csrf) => (
      <section>
        <h1 class="h3">Politique de sécurité interne</h1>
        <ErrorSummary errors={errors} />
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        <p>
          Décrivez les règles de votre organisme pour les accès à Kairos. Elles guident vos décisions lors des revues des
          habilitations ; l’agence peut vous demander de les appliquer.
        </p>
        <p id="derniere-modification">
          {policy
            ? `Dernière modification le ${formatDateTime(policy.updatedAt)} par ${policy.updatedBy.displayName ?? 'un compte supprimé'}.`
            : 'Votre organisme n’a pas encore rédigé sa politique.'}
        </p>
        <PolicyForm values={values ?? valuesOf(policy)} errors={errors} csrf={csrf} />
        <p class="mt-3"><a href="/gid">Retour à GID Partenaires</a></p>
      </section>
    ), status);
  };

  app.get('/gid/politique-securite', { config: { access: accountManagerOnly } }, (request, reply) => show(request, reply, null, []));

  const form = { config: { access: accountManagerOnly }, attachValidation: true, schema: { body: policyForm } };
  app.withTypeProvider<ZodTypeProvider>().post('/gid/politique-securite', form, async (request, reply) => {
    if (request.validationError) {
      // A refused body is left as sent: shown again exactly as typed.
      const typed = Object.fromEntries(POLICY_FIELDS.map((f) => [f, sentText(request, f)])) as Values;
      return show(request, reply, typed, formErrors(request), 422);
    }
    const actor = actorOf(request);
    await saveSecurityPolicy(app.ctx, actor, actor.organisation?.id, request.body, requestMeta(request));
    return redirectAfterPost(reply, '/gid/politique-securite?fait=enregistree');
  });

  app.get('/admin/politiques-securite', { config: { access: agencyAdminOnly } }, async (request, reply) => {
    const missing = await organisationsMissingPolicy(app.ctx);
    return sendPage(request, reply, 'Organismes sans politique de sécurité', () => (
      <section>
        <h1 class="h3">Organismes sans politique de sécurité interne</h1>
        {missing.length === 0 ? (
          <p>Tous les organismes de formation actifs ont rédigé leur politique.</p>
        ) : (
          <>
            <p>{missing.length} organisme{missing.length > 1 ? 's' : ''} de formation actif{missing.length > 1 ? 's' : ''} n’{missing.length > 1 ? 'ont' : 'a'} pas encore rédigé leur politique.</p>
            <table class="table">
              <caption class="visually-hidden">Organismes sans politique de sécurité interne</caption>
              <thead>
                <tr><th scope="col">Organisme</th><th scope="col">SIRET</th><th scope="col">Membre depuis le</th></tr>
              </thead>
              <tbody>
                {missing.map((o) => (
                  <tr data-organisation={o.id}><td>{o.name}</td><td>{o.siret ?? '—'}</td><td>{formatDate(o.created_at)}</td></tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    ));
  });
}
