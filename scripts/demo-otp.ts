// Prints the current TOTP code of the demo accounts (demo mode only: the secret is public).
import { DEMO_TOTP_SECRET } from '../src/demo/accounts.js';
import { totpCodeAt } from '../src/modules/identity/second-factor/totp.js';

const now = new Date();
const remaining = 30 - (Math.floor(now.getTime() / 1000) % 30);
process.stdout.write(`Code de vérification des comptes de démonstration : ${totpCodeAt(DEMO_TOTP_SECRET, now)} (valable encore ${remaining} s)\n`);
