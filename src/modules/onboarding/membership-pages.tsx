import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formErrors, formField } from '../../http/forms.js';
import type { FieldError } from '../../http/problem.js';
import { HttpProblem } from '../../http/problem.js';
import { requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { Field, FormErrors, errorFor, fieldId, formText } from '../../http/views/form.js';
import { CsrfField } from '../../http/views/layout.js';
import { publicAccess } from '../habilitations/policy.js';
import { submitMembershipRequest } from './membership-service.js';
import { membershipRequestSchema, parisDay } from './rules.js';

const FIELDS = ['legalName', 'siret', 'nda', 'qualiopi', 'qualiopiExpiry', 'address', 'accountManager.lastName', 'accountManager.firstName', 'accountManager.email', 'accountManager.phone'] as const;
/** Bots fill every field; people never see this one. */
export const HONEYPOT = 'site_web';

type Values = Record<(typeof FIELDS)[number], string>;

function AdhesionForm({ csrf, values, errors }: { csrf: string; values: Partial<Values>; errors: FieldError[] }) {
  const v = (name: (typeof FIELDS)[number]) => values[name] ?? '';
  const qualiopiError = errorFor(errors, 'qualiopi');
  return (
    <div class="col-lg-8">
      <h1 class="h3">Demande d’adhésion d’un organisme de formation</h1>
      <p>
        Tous les champs marqués d’un astérisque (*) sont obligatoires. Après examen de votre demande par l’agence, le
        responsable de gestion des comptes recevra deux courriers distincts : son identifiant, puis son code d’activation.
      </p>
      <FormErrors errors={errors} />
      <form method="post" action="/adhesion" novalidate>
        <CsrfField token={csrf} />
        <div class="honeypot" aria-hidden="true">
          <label for={HONEYPOT}>Ne pas remplir ce champ</label>
          <input id={HONEYPOT} name={HONEYPOT} type="text" tabIndex={-1} autocomplete="off" />
        </div>
        <fieldset class="mb-4">
          <legend class="h5">L’organisme</legend>
          <Field name="legalName" label="Raison sociale" errors={errors} value={v('legalName')} required maxLength={200} autocomplete="organization" />
          <Field name="siret" label="SIRET" errors={errors} value={v('siret')} required maxLength={20} inputMode="numeric" help="14 chiffres, tels qu’ils figurent sur l’avis de situation Insee." />
          <Field name="nda" label="Numéro de déclaration d’activité (NDA)" errors={errors} value={v('nda')} required maxLength={14} inputMode="numeric" help="11 chiffres." />
          <div class="mb-3">
            <fieldset aria-describedby={qualiopiError ? `${fieldId('qualiopi')}-erreur` : undefined}>
              <legend class="form-label fs-6">Certification Qualiopi *</legend>
              <div class="form-check form-check-inline">
                <input class="form-check-input" type="radio" id="qualiopi" name="qualiopi" value="oui" checked={v('qualiopi') === 'oui'} />
                <label class="form-check-label" for="qualiopi">Oui</label>
              </div>
              <div class="form-check form-check-inline">
                <input class="form-check-input" type="radio" id="qualiopi-non" name="qualiopi" value="non" checked={v('qualiopi') === 'non'} />
                <label class="form-check-label" for="qualiopi-non">Non</label>
              </div>
              {qualiopiError ? <div id="qualiopi-erreur" class="text-danger small">{qualiopiError}</div> : null}
            </fieldset>
          </div>
          <Field name="qualiopiExpiry" label="Date d’expiration de la certification Qualiopi" type="date" errors={errors} value={v('qualiopiExpiry')} help="Obligatoire si l’organisme est certifié." />
          <Field name="address" label="Adresse" errors={errors} value={v('address')} required maxLength={500} multiline autocomplete="street-address" />
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h5">Le responsable de gestion des comptes</legend>
          <Field name="accountManager.lastName" label="Nom" errors={errors} value={v('accountManager.lastName')} required maxLength={100} autocomplete="family-name" />
          <Field name="accountManager.firstName" label="Prénom" errors={errors} value={v('accountManager.firstName')} required maxLength={100} autocomplete="given-name" />
          <Field name="accountManager.email" label="Courriel professionnel" type="email" errors={errors} value={v('accountManager.email')} required maxLength={200} autocomplete="email" />
          <Field name="accountManager.phone" label="Téléphone" type="tel" errors={errors} value={v('accountManager.phone')} required maxLength={30} autocomplete="tel" help="Exemple : 01 23 45 67 89" />
        </fieldset>
        <button class="btn btn-primary" type="submit">Envoyer la demande</button>
      </form>
    </div>
  );
}

function toInput(values: Values) {
  return {
    legalName: values.legalName,
    siret: values.siret,
    nda: values.nda,
    qualiopi: values.qualiopi === 'oui' ? true : values.qualiopi === 'non' ? false : undefined,
    qualiopiExpiry: values.qualiopiExpiry || null,
    address: values.address,
    accountManager: {
      lastName: values['accountManager.lastName'],
      firstName: values['accountManager.firstName'],
      email: values['accountManager.email'],
      phone: values['accountManager.phone'],
    },
  };
}

/**
 * The form as the API's request: the fields as `formText` reads them, turned into the JSON the
 * API takes, then judged by the same schema (field names and messages are the API's).
 */
const adhesionForm = (today: () => string) =>
  z
    .object(Object.fromEntries(FIELDS.map((f) => [f, formField(600)])) as Record<(typeof FIELDS)[number], ReturnType<typeof formField>>)
    // Unchecked here on purpose: the API's schema just below judges it (a missing choice is `undefined`).
    .transform((values) => toInput(values as Values) as unknown as z.input<ReturnType<typeof membershipRequestSchema>>)
    .pipe(membershipRequestSchema(today));

/** What was typed, kept before the schema replaces the body, to show a refused form again. */
const typed = new WeakMap<FastifyRequest, Values>();

function Received() {
  return (
    <section>
      <h1 class="h3">Demande envoyée</h1>
      <p role="status">
        Votre demande d’adhésion a bien été reçue. Un accusé de réception a été envoyé au responsable de gestion des
        comptes. Vous serez informé de la décision par courriel ; en cas d’acceptation, deux courriers distincts suivront.
      </p>
    </section>
  );
}

export async function membershipPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const show = (request: FastifyRequest, reply: FastifyReply, values: Partial<Values>, errors: FieldError[], status = 200) =>
    sendPage(request, reply, errors.length ? 'Erreur — Demande d’adhésion' : 'Demande d’adhésion', (csrf) => <AdhesionForm csrf={csrf} values={values} errors={errors} />, status);

  app.get('/adhesion', { config: { access: publicAccess } }, (request, reply) => show(request, reply, {}, []));

  app.post(
    '/adhesion',
    {
      config: { access: publicAccess, rateLimit: { max: app.ctx.config.publicFormRateLimitPerHour, timeWindow: 3_600_000 } },
      schema: { body: adhesionForm(() => parisDay(app.ctx.clock.now())) },
      attachValidation: true,
      preValidation: async (request, reply) => {
        // A filled honeypot gets the same answer as a success, so the bot learns nothing; nothing is stored.
        if (formText(request.body, HONEYPOT)) return sendPage(request, reply, 'Demande envoyée', () => <Received />);
        typed.set(request, Object.fromEntries(FIELDS.map((f) => [f, formText(request.body, f, 600)])) as Values);
      },
    },
    async (request, reply) => {
      const values = typed.get(request) ?? ({} as Values);
      const errors = formErrors(request);
      if (errors.length) return show(request, reply, values, errors, 422);
      try {
        await submitMembershipRequest(app.ctx, request.body, requestMeta(request));
      } catch (err) {
        if (err instanceof HttpProblem && err.status === 409) return show(request, reply, values, [{ field: 'siret', message: err.detail }], 409);
        throw err;
      }
      return sendPage(request, reply, 'Demande envoyée', () => <Received />);
    },
  );
}
