import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { emptyIfAbsent } from '../../../http/schemas.js';
import { textField } from '../schemas.js';

/**
 * Sizes only: requests carry up to 1 024 characters, so that a password longer than the policy's
 * 256 gets the policy's clear message (password-policy.ts) rather than a size refusal.
 */
/** An absent body is judged as `{}`: each required field is named. */
export const changePasswordBody = emptyIfAbsent(
  z.strictObject({
    currentPassword: textField('Mot de passe actuel (currentPassword)', 1024),
    newPassword: textField('Nouveau mot de passe (newPassword)', 1024),
  }),
);

/** The form refuses nothing itself: the service names the field that is wrong. */
export const passwordForm = z.object({ currentPassword: formField(1024), newPassword: formField(1024) });
