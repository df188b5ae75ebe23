// Password checks cost: zxcvbn is synchronous, so a long password must not block the event loop.
// Run: npx tsx bench/password-policy.ts — prints the worst time per input shape (goal: < 500 ms).
import { loadavg } from 'node:os';
import { checkPassword, hashPassword } from '../src/modules/identity/passwords/password-policy.js';

await checkPassword('Kairos-Demo-2026-secure', { minLength: 12 }); // loads zxcvbn and builds its instance
let worstOverall = 0;
for (const base of ['Kairos-Demo-2026-secure', 'p@55w0rd-', '1234567890', 'éàü-長い-🙂']) {
  for (const length of [12, 64, 256]) {
    const input = base.repeat(60).slice(0, length);
    let worst = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await checkPassword(input, { minLength: 12 });
      worst = Math.max(worst, performance.now() - start);
    }
    console.log(`checkPassword ${JSON.stringify(base.slice(0, 10))} × ${length} chars: ${worst.toFixed(1)} ms (worst of 3)`);
    worstOverall = Math.max(worstOverall, worst);
  }
}
const start = performance.now();
for (let i = 0; i < 5; i++) await hashPassword('Kairos-Demo-2026-secure');
const hashMs = (performance.now() - start) / 5;
console.log(`argon2id m=19 MiB t=2 p=1: ${hashMs.toFixed(1)} ms per hash`);
console.log(
  JSON.stringify({
    bench: 'password-policy',
    load: loadavg()[0],
    summary: `worst check ${worstOverall.toFixed(1)} ms (goal < 500 ms); argon2id ${hashMs.toFixed(0)} ms per hash`,
    goalMet: worstOverall < 500,
    worstCheckMs: Number(worstOverall.toFixed(1)),
    hashMs: Number(hashMs.toFixed(1)),
  }),
);
