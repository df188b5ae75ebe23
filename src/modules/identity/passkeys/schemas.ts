/**
 * Passkey schemas: the WebAuthn JSON the browser sends (as `@simplewebauthn/browser` builds it),
 * the options the server answers, and the list. Sizes bound what is parsed; what the bytes mean
 * is for the verification to judge (a malformed credential is refused there, nothing stored).
 */
import { z } from 'zod';
import { emptyIfAbsent, isoInstant, uuidParam } from '../../../http/schemas.js';
import { textField } from '../schemas.js';

export const PASSKEY_NOT_FOUND = 'Cette clé d’accès n’existe pas ou n’est pas la vôtre.';
export const PASSKEY_REFUSED = 'La clé d’accès n’a pas pu être vérifiée. Recommencez l’ajout depuis la page « Clés d’accès ».';
export const PASSKEY_SIGN_IN_FAILED = 'La connexion avec une clé d’accès a échoué. Réessayez, ou connectez-vous avec votre mot de passe et votre code.';
export const REAUTH_NEEDED = 'Confirmez d’abord votre identité : reconnectez-vous (ou confirmez votre mot de passe et votre code sur la page « Clés d’accès »), puis recommencez dans les minutes qui suivent.';

const b64url = (label: string, max: number) =>
  z
    .string({ error: `${label} : texte base64url attendu.` })
    .min(1, `${label} : champ obligatoire.`)
    .max(max, `${label} : ${max} caractères au maximum.`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${label} : texte base64url attendu.`);

const KNOWN_TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
/** Hints for the browser at sign-in; one it does not know (a newer browser's) is dropped, not refused. */
const transports = z
  .array(z.string().max(20))
  .max(10)
  .transform((ts) => ts.filter((t): t is (typeof KNOWN_TRANSPORTS)[number] => (KNOWN_TRANSPORTS as readonly string[]).includes(t)));
const clientExtensionResults = z.record(z.string(), z.unknown()).default({});

/** What `startRegistration()` of @simplewebauthn/browser returns. */
export const registrationResponse = z.object({
  id: b64url('Identifiant de la clé (response.id)', 1400),
  rawId: b64url('Identifiant brut de la clé (response.rawId)', 1400),
  type: z.literal('public-key', { error: 'Type (response.type) : « public-key » attendu.' }),
  response: z.object({
    clientDataJSON: b64url('Données du client (response.response.clientDataJSON)', 8_000),
    attestationObject: b64url('Attestation (response.response.attestationObject)', 64_000),
    authenticatorData: b64url('Données de l’authentificateur', 64_000).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url('Clé publique', 8_000).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults,
});

/** What `startAuthentication()` of @simplewebauthn/browser returns. */
export const authenticationResponse = z.object({
  id: b64url('Identifiant de la clé (response.id)', 1400),
  rawId: b64url('Identifiant brut de la clé (response.rawId)', 1400),
  type: z.literal('public-key', { error: 'Type (response.type) : « public-key » attendu.' }),
  response: z.object({
    clientDataJSON: b64url('Données du client (response.response.clientDataJSON)', 8_000),
    authenticatorData: b64url('Données de l’authentificateur (response.response.authenticatorData)', 64_000),
    signature: b64url('Signature (response.response.signature)', 2_000),
    userHandle: b64url('Identifiant d’utilisateur (response.response.userHandle)', 200).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults,
});

export const enrolBody = emptyIfAbsent(
  z.strictObject({
    name: textField('Nom de la clé (name)', 60),
    response: registrationResponse,
  }),
);

export const passkeySignInBody = emptyIfAbsent(z.strictObject({ response: authenticationResponse }));

export const passkeyParams = z.strictObject({ id: uuidParam(PASSKEY_NOT_FOUND) });

const descriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() });

export const creationOptions = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.string().optional(),
      residentKey: z.string().optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.string().optional(),
    })
    .optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.string().optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

export const requestOptions = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(descriptor).optional(),
  userVerification: z.string().optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

export const passkeyView = z.object({
  id: z.string().meta({ format: 'uuid' }),
  name: z.string(),
  createdAt: isoInstant,
  lastUsedAt: isoInstant.nullable(),
});

export const passkeyList = z.object({
  passkeys: z.array(passkeyView),
  /** Whether the account must hold a passkey, and until when it may still sign in without. */
  obligation: z.object({ state: z.enum(['none', 'grace', 'enforced']), deadline: isoInstant.nullable() }),
});

/** The page forms: a name (JavaScript sends the credential through the API), a removal. */
export const nameForm = z.object({ name: z.string().max(200).default('') });
