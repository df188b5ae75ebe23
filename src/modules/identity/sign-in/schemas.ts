import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { emptyIfAbsent } from '../../../http/schemas.js';
import { textField } from '../schemas.js';

/** The one answer to every failed sign-in: it must not tell which factor failed. */
export const SIGN_IN_FAILED = 'Identifiant, mot de passe ou code de vérification incorrect.';

/** An absent body is judged as `{}`: each required field is named. */
export const signInBody = emptyIfAbsent(
  z.strictObject({
    login: textField('Identifiant (login)', 100),
    password: textField('Mot de passe (password)', 1024),
    otp: textField('Code de vérification (otp)', 64, { required: false }).default(''),
  }),
);

export const signedInAnswer = z.object({
  csrfToken: z.string().describe('À renvoyer dans l’en-tête `x-csrf-token` de chaque requête qui modifie quelque chose.'),
});

/**
 * The sign-in form, read as before the route schemas: absent or repeated fields are empty, texts
 * are cut at the API's sizes. It refuses nothing: a wrong entry is a failed sign-in, with the
 * one answer all failures get. `suite` is where to go next, checked by `safeNext`.
 */
export const signInForm = z.object({
  login: formField(100),
  password: formField(1024),
  otp: formField(64),
  suite: formField(200),
});

export const REAUTH_FAILED = 'Mot de passe ou code de vérification incorrect.';

/** The identity confirmation form: like the sign-in form, it refuses nothing (a wrong entry is a failure). */
export const reauthForm = z.object({ password: formField(1024), otp: formField(64), suite: formField(200) });
