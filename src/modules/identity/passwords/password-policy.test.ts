import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPassword,
  hashPassword,
  minPasswordLength,
  verifyAgainstDummy,
  verifyPassword,
} from './password-policy.js';

// Random-looking characters: strong at any length >= 12, so only the length
// rule can refuse them.
const STRONG_CHARS = 'Tz9!kQ#vR2@mLp8$wX4&nB7^';
const strongOfLength = (n: number) => STRONG_CHARS.slice(0, n);
const DEMO_PASSWORD = 'Kairos-Demo-2026-secure';

function refusedWith(result: Awaited<ReturnType<typeof checkPassword>>, pattern: RegExp) {
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.message, pattern);
}

describe('minPasswordLength', () => {
  const cases: Array<[string[], number]> = [
    [[], 12],
    [['learner'], 12],
    [['trainer', 'org_admin'], 12],
    [['account_manager'], 15],
    [['agency_admin'], 15],
    [['learner', 'agency_admin'], 15],
  ];
  for (const [roles, expected] of cases) {
    it(`${JSON.stringify(roles)} -> ${expected}`, async () => {
      assert.equal(minPasswordLength(roles), expected);
    });
  }
});

describe('checkPassword length boundaries', () => {
  const cases: Array<{ length: number; min: number; ok: boolean }> = [
    { length: 11, min: 12, ok: false },
    { length: 12, min: 12, ok: true },
    { length: 14, min: 12, ok: true },
    { length: 15, min: 12, ok: true },
    { length: 11, min: 15, ok: false },
    { length: 12, min: 15, ok: false },
    { length: 14, min: 15, ok: false },
    { length: 15, min: 15, ok: true },
  ];
  for (const { length, min, ok } of cases) {
    it(`${length} chars with minimum ${min} -> ${ok ? 'accepted' : 'refused'}`, async () => {
      const result = await checkPassword(strongOfLength(length), { minLength: min });
      if (ok) assert.deepEqual(result, { ok: true });
      else refusedWith(result, new RegExp(`au moins ${min} caractères`));
    });
  }

  it('refuses more than 256 characters', async () => {
    const long = STRONG_CHARS.repeat(13).slice(0, 300);
    refusedWith(await checkPassword(long, { minLength: 12 }), /ne doit pas dépasser 256 caractères/);
  });

  // Its speed (zxcvbn cost bounded to the first 64 characters) is measured by bench/password-policy.ts.
  it('accepts exactly 256 characters', async () => {
    assert.deepEqual(await checkPassword(STRONG_CHARS.repeat(11).slice(0, 256), { minLength: 15 }), {
      ok: true,
    });
  });
});

describe('checkPassword counts Unicode code points', () => {
  it('an emoji counts as one character, not two UTF-16 units', async () => {
    const eleven = 'Tz9!kQ#vR2\u{1F418}'; // 11 code points, 12 UTF-16 units
    assert.equal(eleven.length, 12);
    refusedWith(await checkPassword(eleven, { minLength: 12 }), /au moins 12/);
    assert.deepEqual(await checkPassword(`${eleven}é`, { minLength: 12 }), { ok: true });
  });

  it('a decomposed accent counts as one character', async () => {
    const decomposed = 'Tz9!kQ#vR2@e\u0301'; // "é" as e + combining acute
    refusedWith(await checkPassword(decomposed, { minLength: 13 }), /au moins 13/);
    assert.deepEqual(await checkPassword(decomposed, { minLength: 12 }), { ok: true });
  });

  it('accepts an accented passphrase with an emoji', async () => {
    assert.deepEqual(await checkPassword('éléphant\u{1F418}rose-lune', { minLength: 15 }), { ok: true });
  });
});

describe('checkPassword common and weak passwords', () => {
  const listed = ['password1234', 'PASSWORD1234', 'qwertyuiop123'];
  for (const password of listed) {
    it(`refuses listed password ${password} with the list message`, async () => {
      refusedWith(await checkPassword(password, { minLength: 12 }), /liste des mots de passe courants ou divulgués/);
    });
  }

  const weak = [
    'motdepasse123',
    'p@55w0rd-2024', // l33t variant of a listed password
    'azertyuiop123',
    'soleil123456',
    'maisonjardin', // two common French words
    'bonjourbonjour',
    'aaaaaaaaaaaaaaaa',
    '123456789012345',
  ];
  for (const password of weak) {
    it(`refuses weak password ${password}`, async () => {
      refusedWith(
        await checkPassword(password, { minLength: 12 }),
        /(trop facile à deviner|mots de passe courants)/,
      );
    });
  }

  it('refuses a password built on the login', async () => {
    const userInputs = ['jean.dupont', 'Jean', 'Dupont', 'jean.dupont@example.fr'];
    const result = await checkPassword('jean.dupont2024', { minLength: 12, userInputs });
    refusedWith(result, /trop facile à deviner/);
    refusedWith(result, /données personnelles/);
  });

  it('refuses a password built on a piece of the email', async () => {
    const userInputs = ['mcurie', 'marie.sklodowska@example.fr'];
    refusedWith(
      await checkPassword('sklodowska2024', { minLength: 12, userInputs }),
      /trop facile à deviner/,
    );
    // Without user inputs the same password is not known to be personal.
    assert.deepEqual((await checkPassword('sklodowska2024', { minLength: 12 })).ok, true);
  });

  it('ignores empty user inputs', async () => {
    assert.deepEqual(await checkPassword(DEMO_PASSWORD, { minLength: 12, userInputs: ['', '  '] }), {
      ok: true,
    });
  });
});

describe('checkPassword accepts strong passphrases', () => {
  const strong = [DEMO_PASSWORD, 'correct horse battery staple', 'MaPhrase-Secrète-Du-Jour'];
  for (const password of strong) {
    for (const minLength of [12, 15]) {
      it(`${password} with minimum ${minLength}`, async () => {
        assert.deepEqual(await checkPassword(password, { minLength }), { ok: true });
      });
    }
  }

  it('accepts the demo password with the demo user inputs', async () => {
    const userInputs = ['admin', 'demo', 'admin@kairos.example'];
    assert.deepEqual(await checkPassword(DEMO_PASSWORD, { minLength: 15, userInputs }), { ok: true });
  });
});

describe('hashPassword / verifyPassword', () => {
  it('uses argon2id with the expected parameters', async () => {
    const hash = await hashPassword(DEMO_PASSWORD);
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('roundtrips, refuses a wrong password, salts each hash', async () => {
    const hash = await hashPassword(DEMO_PASSWORD);
    assert.equal(await verifyPassword(hash, DEMO_PASSWORD), true);
    assert.equal(await verifyPassword(hash, 'Kairos-Demo-2026-Secure'), false);
    assert.equal(await verifyPassword(hash, ''), false);
    assert.notEqual(await hashPassword(DEMO_PASSWORD), hash);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await hashPassword('Mot-de-passe-d\u00e9mo');
    assert.equal(await verifyPassword(hash, 'Mot-de-passe-de\u0301mo'), true);
  });

  const malformed = ['', 'not-a-hash', '$argon2id$v=19$m=19456,t=2,p=1$', '$argon2id$garbage$$', '$2b$10$abcdefghijklmnopqrstuv'];
  for (const hash of malformed) {
    it(`returns false on malformed hash ${JSON.stringify(hash)}`, async () => {
      assert.equal(await verifyPassword(hash, DEMO_PASSWORD), false);
    });
  }

  it('verifyAgainstDummy always returns false', async () => {
    assert.equal(await verifyAgainstDummy(DEMO_PASSWORD), false);
    assert.equal(await verifyAgainstDummy(''), false);
  });
});
