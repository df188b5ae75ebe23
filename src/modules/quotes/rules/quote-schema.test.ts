import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quoteCreateSchema, quoteInputSchema, quotePatchSchema } from './quote-schema.js';
import { aifQuote, poeiQuote } from './test-fixtures.js';

type Json = Record<string, any>;

function issuesOf(input: unknown, schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } } = quoteInputSchema) {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('quote shape: valid input', () => {
  it('accepts the reference AIF and POEI quotes unchanged', () => {
    assert.deepEqual(quoteInputSchema.parse(aifQuote()), aifQuote());
    assert.deepEqual(quoteInputSchema.parse(poeiQuote()), poeiQuote());
  });

  it('normalises what a form sends', () => {
    const q: Json = aifQuote();
    q.candidate.identifier = ' 1234567a ';
    q.training.certification = ' rncp 37674 ';
    q.training.place = '   ';
    q.training.centreHours = '105,5';
    q.costs.pedagogicalCost = '1\u202f750,00';
    q.costs.hourlyRate = '12.5';
    const out = quoteInputSchema.parse(q);
    assert.equal(out.candidate.identifier, '1234567A');
    assert.equal(out.training.certification, 'RNCP37674');
    assert.equal(out.training.place, null);
    assert.equal(out.training.centreHours, 105.5);
    assert.equal(out.costs.pedagogicalCost, 1750);
    assert.equal(out.costs.hourlyRate, 12.5);
  });

  it('an empty certification means none; contractMonths defaults to null', () => {
    const q: Json = poeiQuote();
    q.training.certification = '';
    delete q.poei.contractMonths;
    const out = quoteInputSchema.parse(q);
    assert.equal(out.training.certification, null);
    assert.equal(out.poei!.contractMonths, null);
  });

  it('keeps half-typed codes for the business rules to report (a draft may hold them)', () => {
    const q: Json = poeiQuote();
    Object.assign(q.training, { formacode: '', carifOrefSession: '', certification: 'RNCP' });
    Object.assign(q.poei, { employerSiret: '', jobOfferReference: '', tutor: { lastName: '', firstName: '', jobTitle: '' } });
    assert.deepEqual(issuesOf(q), []);
  });
});

describe('quote shape: bad input gives a French error on the field', () => {
  const cases: Array<[string, (q: Json) => void, string, RegExp]> = [
    ['date in French format', (q) => (q.training.startDate = '01/06/2026'), 'training.startDate', /^Date de début : date invalide/],
    ['impossible date', (q) => (q.training.endDate = '2026-02-30'), 'training.endDate', /^Date de fin : date invalide/],
    ['year 0001', (q) => (q.training.endDate = '0001-01-01'), 'training.endDate', /^Date de fin : l’année doit être comprise entre 1900 et 2199/],
    ['birth date as a number', (q) => (q.candidate.birthDate = 19900412), 'candidate.birthDate', /^Date de naissance du candidat : date attendue/],
    ['identifier with 6 digits', (q) => (q.candidate.identifier = '123456A'), 'candidate.identifier', /^Identifiant du candidat : 7 chiffres suivis d’une lettre/],
    ['identifier with 2 letters', (q) => (q.candidate.identifier = '123456AB'), 'candidate.identifier', /^Identifiant du candidat/],
    ['empty last name', (q) => (q.candidate.lastName = '  '), 'candidate.lastName', /^Nom du candidat : champ obligatoire/],
    ['10 000-character title', (q) => (q.training.title = 'x'.repeat(10_000)), 'training.title', /^Intitulé de la formation : 200 caractères au maximum/],
    ['empty title', (q) => (q.training.title = ''), 'training.title', /^Intitulé de la formation : champ obligatoire/],
    ['negative hours', (q) => (q.training.centreHours = -7), 'training.centreHours', /^Heures en centre : la valeur ne peut pas être négative/],
    ['absurd hours', (q) => (q.training.companyHours = 1e6), 'training.companyHours', /^Heures en entreprise : 2\u202f000,00\u00a0h au maximum/],
    ['hours with 3 decimals', (q) => (q.training.centreHours = 10.125), 'training.centreHours', /^Heures en centre : 2 décimales au maximum/],
    ['hours as a boolean', (q) => (q.training.centreHours = true), 'training.centreHours', /^Heures en centre : nombre attendu/],
    ['negative amount', (q) => (q.costs.pedagogicalCost = -1), 'costs.pedagogicalCost', /^Coût pédagogique : la valeur ne peut pas être négative/],
    ['absurd amount', (q) => (q.costs.hourlyRate = 10_000_000.01), 'costs.hourlyRate', /^Taux horaire : 10\u202f000\u202f000,00\u00a0€ au maximum/],
    ['amount with 3 decimals', (q) => (q.costs.hourlyRate = '12,345'), 'costs.hourlyRate', /^Taux horaire : 2 décimales au maximum/],
    ['amount as text', (q) => (q.costs.hourlyRate = 'douze'), 'costs.hourlyRate', /^Taux horaire : saisissez un nombre/],
    ['other line without label', (q) => (q.costs.otherLines[0].label = ''), 'costs.otherLines.0.label', /^Autres frais \(libellé\) : champ obligatoire/],
    ['21 other lines', (q) => (q.costs.otherLines = Array.from({ length: 21 }, () => ({ label: 'x', amount: 1 }))), 'costs.otherLines', /^Autres frais : 20 lignes au maximum/],
    ['overlapping schedule ranges', (q) => q.training.schedule.push({ weekday: 1, from: '11:00', to: '12:00' }), 'training.schedule.10.from', /^Emploi du temps, ligne 11 : la plage du lundi 11:00–12:00 chevauche celle de la ligne 1/],
    ['range ending before it starts', (q) => (q.training.schedule[1].to = '13:00'), 'training.schedule.1.to', /^Emploi du temps, ligne 2 : l’heure de fin \(13:00\) doit être après/],
    ['time 25:00', (q) => (q.training.schedule[0].from = '25:00'), 'training.schedule.0.from', /^Emploi du temps, ligne 1 : heure de début invalide/],
    ['weekday 8', (q) => (q.training.schedule[0].weekday = 8), 'training.schedule.0.weekday', /^Emploi du temps, ligne 1 : jour invalide/],
    ['weekday as text', (q) => (q.training.schedule[0].weekday = 'lundi'), 'training.schedule.0.weekday', /^Emploi du temps \(jour\) : nombre de 1 \(lundi\) à 7 \(dimanche\) attendu/],
    ['15 schedule ranges', (q) => (q.training.schedule = Array.from({ length: 15 }, (_, i) => ({ weekday: 1, from: `0${i % 10}:00`, to: `0${i % 10}:30` }))), 'training.schedule', /^Emploi du temps : 14 plages horaires au maximum/],
    ['schedule not a list', (q) => (q.training.schedule = 'lundi matin'), 'training.schedule', /^Emploi du temps : liste de plages horaires attendue/],
    ['distance learning as "on"', (q) => (q.training.distanceLearning = 'on'), 'training.distanceLearning', /^Formation à distance : oui ou non/],
    ['unknown quote type', (q) => (q.type = 'CPF'), 'type', /^Type de devis : choisissez AIF ou POEI/],
    ['missing type', (q) => delete q.type, 'type', /^Type de devis : champ obligatoire/],
    ['missing poei key', (q) => delete q.poei, 'poei', /^Volet POEI \(employeur\) : champ obligatoire/],
    ['unknown key', (q) => (q.training.startdate = '2026-06-01'), 'training', /^Formation : champ\(s\) inconnu\(s\) startdate ; retirez-les/],
    ['unknown contract type', (q) => Object.assign(q, poeiQuote(), { poei: { ...poeiQuote().poei, contractType: 'freelance' } }), 'poei.contractType', /^Type de contrat : choisissez parmi cdi, cdd/],
    ['fractional contract months', (q) => Object.assign(q, poeiQuote(), { poei: { ...poeiQuote().poei, contractMonths: 6.5 } }), 'poei.contractMonths', /^Durée du contrat \(mois\) : nombre entier/],
    ['tutor missing', (q) => Object.assign(q, poeiQuote(), { poei: { ...poeiQuote().poei, tutor: undefined } }), 'poei.tutor', /^Tuteur : champ obligatoire/],
    ['10 000-character SIRET', (q) => Object.assign(q, poeiQuote(), { poei: { ...poeiQuote().poei, employerSiret: '1'.repeat(10_000) } }), 'poei.employerSiret', /^SIRET de l’employeur : 30 caractères au maximum/],
  ];
  for (const [why, mutate, path, message] of cases) {
    it(`${why} → ${path}`, () => {
      const q: Json = aifQuote();
      mutate(q);
      const issues = issuesOf(q);
      const issue = issues.find((i) => i.path === path);
      assert.ok(issue, `no issue on ${path}: ${JSON.stringify(issues)}`);
      assert.match(issue.message, message);
      assert.equal(issues.filter((i) => i.path === path).length, 1, `one message per field: ${JSON.stringify(issues)}`);
    });
  }

  it('reports every problem at once', () => {
    const q: Json = aifQuote();
    Object.assign(q.training, { title: '', startDate: 'demain', centreHours: -1 });
    q.costs.hourlyRate = 'x';
    assert.deepEqual(issuesOf(q).map((i) => i.path), ['training.title', 'training.startDate', 'training.centreHours', 'costs.hourlyRate']);
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        quoteInputSchema.safeParse(v);
        quotePatchSchema.safeParse(v);
      }),
      { numRuns: 300 },
    );
    const sections = fc.record({ type: fc.jsonValue(), candidate: fc.jsonValue(), training: fc.dictionary(fc.constantFrom('title', 'startDate', 'schedule', 'centreHours', 'place'), fc.jsonValue()), costs: fc.jsonValue(), poei: fc.jsonValue() });
    fc.assert(fc.property(sections, (v) => void quoteInputSchema.safeParse(v)), { numRuns: 300 });
  });

  it('schedule entries of the wrong type do not crash the overlap check', () => {
    const q: Json = aifQuote();
    q.training.schedule = [null, 3, { weekday: 1 }, { weekday: 1, from: '09:00', to: '10:00' }];
    assert.deepEqual(issuesOf(q).map((i) => i.path), ['training.schedule.0', 'training.schedule.1', 'training.schedule.2.from', 'training.schedule.2.to']);
  });
});

describe('quote patch: any non-empty subset of the sections', () => {
  const ok: Array<[string, Json]> = [
    ['the type alone', { type: 'POEI' }],
    ['removing the POEI part', { poei: null }],
    ['a whole training section', { training: aifQuote().training }],
    ['costs and candidate', { costs: aifQuote().costs, candidate: aifQuote().candidate }],
  ];
  for (const [why, patch] of ok) it(`accepts ${why}`, () => assert.deepEqual(issuesOf(patch, quotePatchSchema), []));

  const bad: Array<[string, unknown, string[]]> = [
    ['an empty patch', {}, ['']],
    ['an unknown section, once', { id: 'x' }, ['']],
    ['a partial section (sections are replaced whole)', { training: { title: 'Nouvel intitulé' } }, ['training.carifOrefSession', 'training.formacode', 'training.certification', 'training.startDate', 'training.endDate', 'training.schedule', 'training.centreHours', 'training.companyHours', 'training.place', 'training.distanceLearning']],
    ['not an object', [1, 2], ['']],
  ];
  for (const [why, patch, paths] of bad) it(`refuses ${why}`, () => assert.deepEqual(issuesOf(patch, quotePatchSchema).map((i) => i.path), paths));

  it('says what to do with an empty patch', () => {
    assert.match(issuesOf({}, quotePatchSchema)[0].message, /^Modification du devis : indiquez au moins une section/);
  });
});

describe('quote creation (POST /api/v1/quotes): whole, or from a template', () => {
  it('without a template, gives exactly the errors of the whole-quote schema, in the same order', () => {
    const q: Json = aifQuote();
    const bodies: unknown[] = [
      {},
      { candidate: 1, costs: 2, zz: 3 },
      { type: 'AIF', training: null, poei: null },
      { type: 'X', candidate: {}, costs: {}, poei: null },
      { ...q, type: undefined, training: undefined, costs: { ...q.costs, hourlyRate: 'x' }, extra: true },
      { ...q, training: { ...q.training, title: '' } },
      [],
      'texte',
      null,
    ];
    for (const body of bodies) assert.deepEqual(issuesOf(body, quoteCreateSchema), issuesOf(body), JSON.stringify(body));
    const sections = fc.record(
      { type: fc.jsonValue(), candidate: fc.jsonValue(), training: fc.oneof(fc.jsonValue(), fc.constant(q.training)), costs: fc.jsonValue(), poei: fc.jsonValue(), other: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), sections), (v) => assert.deepEqual(issuesOf(v, quoteCreateSchema), issuesOf(v))), { numRuns: 300 });
  });

  it('accepts a whole quote unchanged', () => {
    assert.deepEqual(quoteCreateSchema.parse(aifQuote()), aifQuote());
  });

  it('with a template, the training section and the type may be left out; the template id must be a UUID', () => {
    const { type: _type, training: _training, ...rest } = aifQuote();
    const templateId = '0b6c3a52-6a4c-4f1e-9d55-1a2b3c4d5e6f';
    assert.deepEqual(quoteCreateSchema.parse({ ...rest, templateId }), { ...rest, templateId });
    assert.deepEqual(issuesOf({ ...rest, templateId: 'modele-1' }, quoteCreateSchema), [{ path: 'templateId', message: 'Modèle (templateId) : identifiant de modèle invalide.' }]);
    // Given sections are judged as in a whole quote.
    assert.deepEqual(issuesOf({ ...rest, templateId, type: 'CDI' }, quoteCreateSchema), [{ path: 'type', message: 'Type de devis : choisissez AIF ou POEI.' }]);
  });
});
