/**
 * Pieces of pages about passkeys, shared by the sign-in pages and the passkeys page: the
 * « Se connecter avec une clé d'accès » control (shown by public/passkeys.js when the browser
 * has WebAuthn) and the identity confirmation form (password and code).
 */
import { CsrfField } from '../../../http/views/layout.js';

/** Loads the page script; a module, so it runs after the page is parsed. */
export function PasskeyScript() {
  return <script type="module" src="/assets/passkeys.js"></script>;
}

export function PasskeySignInButton({ next, label = 'Se connecter avec une clé d’accès' }: { next: string; label?: string }) {
  return (
    <div class="mt-4" data-passkey-signin data-suite={next} hidden>
      <p class="mb-2">Ou, sans mot de passe ni code :</p>
      <button type="button" class="btn btn-outline-primary">{label}</button>
      <div role="status" aria-live="polite"></div>
    </div>
  );
}

export function ConfirmIdentityForm({ csrf, next, error }: { csrf: string; next: string; error?: string | null }) {
  return (
    <section aria-labelledby="titre-confirmation" class="mb-4">
      <h2 id="titre-confirmation" class="h4">Confirmez votre identité</h2>
      <p>Pour ajouter ou retirer une clé d’accès, confirmez qu’il s’agit bien de vous : cette confirmation vaut quelques minutes.</p>
      {error ? (
        <div class="alert alert-danger" role="alert" id="erreur-confirmation">
          {error}
        </div>
      ) : null}
      <form method="post" action="/compte/confirmation-identite" novalidate aria-describedby={error ? 'erreur-confirmation' : undefined}>
        <CsrfField token={csrf} />
        <input type="hidden" name="suite" value={next} />
        <div class="mb-3">
          <label class="form-label" for="password">Mot de passe</label>
          <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <div class="mb-3">
          <label class="form-label" for="otp">Code de vérification</label>
          <input class="form-control" id="otp" name="otp" inputMode="numeric" autocomplete="one-time-code" aria-describedby="otp-aide" maxLength={20} />
          <div id="otp-aide" class="form-text">Les 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.</div>
        </div>
        <button type="submit" class="btn btn-primary">Confirmer</button>
      </form>
      <PasskeySignInButton next={next} label="Confirmer avec une clé d’accès" />
    </section>
  );
}
