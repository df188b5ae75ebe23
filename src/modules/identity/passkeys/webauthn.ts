/**
 * The WebAuthn ceremonies, through @simplewebauthn/server, with Kairos' choices: the relying
 * party is the public URL (its host and origin, nothing else), user verification is required
 * (the passkey stands for both factors), discoverable credentials (sign-in without a login), no
 * attestation asked (we trust the ceremony, not a make of authenticator).
 */
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../../../config.js';
import { CEREMONY_TIMEOUT_MS } from './rules.js';

type RelyingParty = Config['passkeys'];

// @simplewebauthn/server and its crypto dependencies load at the first passkey ceremony, not at
// every start of the server (docs/decisions/0039).
const webauthn = () => Promise.all([import('@simplewebauthn/server'), import('@simplewebauthn/server/helpers')]).then(([server, helpers]) => ({ ...server, ...helpers }));

export async function creationOptions(
  rp: RelyingParty,
  account: { id: string; login: string; displayName: string },
  exclude: ReadonlyArray<{ credentialId: string; transports: string[] }>,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { generateRegistrationOptions } = await webauthn();
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: account.login,
    userDisplayName: account.displayName,
    // The user handle is the account id: stable, and no personal data in the authenticator.
    userID: new TextEncoder().encode(account.id),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export type VerifiedRegistration = { credentialId: string; publicKey: string; counter: number; transports: string[] };

/** The new credential, or null when the response does not verify (any reason: it is all one to the user). */
export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, expectedChallenge: string): Promise<VerifiedRegistration | null> {
  const { verifyRegistrationResponse, isoBase64URL } = await webauthn();
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
    });
    if (!result.verified) return null;
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
    };
  } catch {
    return null;
  }
}

/** Sign-in: no list of credentials (discoverable), so nothing tells which accounts exist. */
export async function requestOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({ rpID: rp.rpId, userVerification: 'required', timeout: CEREMONY_TIMEOUT_MS });
}

/** The authenticator's new counter, or null when the assertion does not verify (signature, challenge, origin, counter, user verification). */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  stored: { credentialId: string; publicKey: string; counter: number; transports: string[] },
): Promise<{ newCounter: number } | null> {
  const { verifyAuthenticationResponse, isoBase64URL } = await webauthn();
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      credential: {
        id: stored.credentialId,
        publicKey: isoBase64URL.toBuffer(stored.publicKey),
        counter: stored.counter,
        transports: stored.transports as AuthenticatorTransportFuture[],
      },
    });
    return result.verified ? { newCounter: result.authenticationInfo.newCounter } : null;
  } catch {
    return null;
  }
}
