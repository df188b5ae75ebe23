// Passkeys in the browser (WebAuthn through @simplewebauthn/browser, served from node_modules):
// - on the sign-in page (and the identity confirmation), « Se connecter avec une clé d'accès »
//   asks the server for options, lets the browser find a passkey for this site, sends its answer;
// - on /compte/cles-d-acces, the add form creates a passkey and sends it with its name.
// Without WebAuthn (or JavaScript) these controls stay hidden and the page works as before.
// Messages are set with textContent only: nothing from the server becomes markup.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '/assets/simplewebauthn/index.js';

const csrf = () => document.querySelector('input[name="_csrf"]')?.value ?? '';

async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const error = new Error((data && data.detail) || 'La demande a échoué. Réessayez.');
    error.fromServer = true;
    throw error;
  }
  return data;
}

function say(region, text, kind) {
  region.textContent = text;
  region.className = text ? `alert alert-${kind} mt-3` : '';
}

/** The browser's own refusals (cancelled, timed out, no passkey) in French. */
function browserMessage(err) {
  if (err && err.fromServer) return err.message;
  if (err && (err.name === 'NotAllowedError' || err.name === 'AbortError')) return 'Opération annulée ou délai dépassé. Vous pouvez réessayer.';
  if (err && err.name === 'InvalidStateError') return 'Cette clé d’accès est déjà enregistrée sur votre compte.';
  return 'Votre navigateur n’a pas pu utiliser de clé d’accès. Réessayez, ou utilisez votre mot de passe et votre code.';
}

function signIn(box) {
  const button = box.querySelector('button');
  const region = box.querySelector('[role="status"]');
  box.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    say(region, 'Suivez les indications de votre navigateur…', 'info');
    try {
      const optionsJSON = await post('/api/v1/session/passkey/options');
      const response = await startAuthentication({ optionsJSON });
      await post('/api/v1/session/passkey', { response });
      say(region, 'Connexion réussie.', 'success');
      // The server rendered this address after checking it is a local path.
      window.location.assign(box.dataset.suite || '/portail');
    } catch (err) {
      say(region, browserMessage(err), 'danger');
      button.disabled = false;
      button.focus();
    }
  });
}

function enrol(form) {
  const region = document.getElementById('cle-statut');
  const name = form.querySelector('input[name="name"]');
  const button = form.querySelector('button[type="submit"]');
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      say(region, 'Nom de la clé : donnez-lui un nom, par exemple « Ordinateur du bureau ».', 'danger');
      name.focus();
      return;
    }
    button.disabled = true;
    say(region, 'Suivez les indications de votre navigateur…', 'info');
    try {
      const headers = { 'x-csrf-token': csrf() };
      const optionsJSON = await post('/api/v1/me/passkeys/options', {}, headers);
      const response = await startRegistration({ optionsJSON });
      await post('/api/v1/me/passkeys', { name: name.value, response }, headers);
      window.location.assign('/compte/cles-d-acces?ajoutee=1');
    } catch (err) {
      say(region, browserMessage(err), 'danger');
      button.disabled = false;
    }
  });
}

if (browserSupportsWebAuthn()) {
  for (const box of document.querySelectorAll('[data-passkey-signin]')) signIn(box);
  const form = document.getElementById('ajout-cle');
  if (form) enrol(form);
}
