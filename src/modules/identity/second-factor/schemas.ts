import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { emptyIfAbsent } from '../../../http/schemas.js';
import { textField } from '../schemas.js';

export const CODE_REFUSED = 'Le code saisi ne correspond pas. Vérifiez l’heure de votre téléphone et saisissez le code affiché à l’instant.';

export const enrolmentStarted = z.object({
  otpauthUrl: z.string().describe('Le secret, à montrer une seule fois (code QR) ; il ne sert qu’une fois confirmé.'),
});

export const confirmBody = emptyIfAbsent(z.strictObject({ otp: textField('Code de vérification (otp)', 20) }));

export const enrolmentConfirmed = z.object({
  recoveryCodes: z.array(z.string()).describe('10 codes de secours à usage unique, montrés cette seule fois.'),
});

/** A form with nothing but its CSRF token (and its button). */
export const actionForm = emptyIfAbsent(z.object({}));

/** A wrong or empty code is the service's refusal, shown on the page: the form itself refuses nothing. */
export const confirmForm = z.object({ otp: formField(20) });
