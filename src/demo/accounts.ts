/**
 * Demo accounts. Fictitious people and organisations; the password and TOTP
 * secret are public on purpose and used only when demo data is seeded.
 */
export const DEMO_PASSWORD = 'Kairos-Demo-2026-secure';
export const DEMO_TOTP_SECRET = 'KAIROSDEMOKAIROSDEMOKAIROSDEMO23';

export type DemoOrganisationKey = 'agency' | 'formapro' | 'atelier';

export const DEMO_ORGANISATIONS: Record<DemoOrganisationKey, { name: string; kind: 'agency' | 'training_provider'; siret: string | null }> = {
  agency: { name: 'France Travail', kind: 'agency', siret: null },
  formapro: { name: 'Formapro Démo', kind: 'training_provider', siret: '12345678200010' },
  atelier: { name: 'Atelier Compétences Démo', kind: 'training_provider', siret: '98765432400019' },
};

export interface DemoAccount {
  login: string;
  displayName: string;
  organisation: DemoOrganisationKey | null;
  habilitations: Array<[application: string, role: string]>;
  description: string;
  candidateIdentifier?: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: 'admin.agence', displayName: 'Alix Administratrice', organisation: 'agency', habilitations: [['gid', 'agency_admin'], ['kairos', 'agency_admin']], description: 'administratrice de l’agence' },
  { login: 'conseiller.demo', displayName: 'Sacha Conseiller', organisation: 'agency', habilitations: [['kairos', 'advisor']], description: 'conseiller' },
  { login: 'support.demo', displayName: 'Noa Assistance', organisation: 'agency', habilitations: [['support', 'agent']], description: 'agent d’assistance' },
  { login: 'rgc.demo', displayName: 'Dominique Responsable', organisation: 'formapro', habilitations: [['gid', 'account_manager'], ['support', 'user']], description: 'responsable de gestion des comptes, Formapro Démo' },
  { login: 'devis.demo', displayName: 'Lou Rédacteur', organisation: 'formapro', habilitations: [['kairos', 'quote_editor'], ['support', 'user']], description: 'rédacteur de devis, Formapro Démo' },
  { login: 'assiduite.demo', displayName: 'Charlie Assiduité', organisation: 'formapro', habilitations: [['kairos', 'attendance_officer'], ['support', 'user']], description: 'gestionnaire d’assiduité, Formapro Démo' },
  { login: 'formateur.demo', displayName: 'Ange Formateur', organisation: 'formapro', habilitations: [['kairos', 'trainer'], ['support', 'user']], description: 'formateur, Formapro Démo : ouvre et clôt les feuilles d’émargement' },
  { login: 'rgc.demo2', displayName: 'Maxime Responsable', organisation: 'atelier', habilitations: [['gid', 'account_manager'], ['support', 'user']], description: 'responsable de gestion des comptes, Atelier Compétences Démo' },
  { login: 'devis.demo2', displayName: 'Eden Rédactrice', organisation: 'atelier', habilitations: [['kairos', 'quote_editor'], ['support', 'user']], description: 'rédactrice de devis, Atelier Compétences Démo' },
  { login: 'candidat.demo', displayName: 'Candidat Démo', organisation: null, habilitations: [], description: 'candidat, identifiant 1234567A', candidateIdentifier: '1234567A' },
  { login: 'candidat.demo2', displayName: 'Candidate Démo Deux', organisation: null, habilitations: [], description: 'candidate, identifiant 7654321B', candidateIdentifier: '7654321B' },
];

/** A fictitious organisation whose adhesion request awaits the agency's decision. */
export const DEMO_PENDING_REQUEST = {
  legal_name: 'Cap Avenir Formation Démo',
  siret: '44444444400012',
  nda: '11755555575',
  qualiopi: true,
  qualiopi_expiry: '2028-12-31',
  address: '8 rue de la Démonstration, 44000 Nantes',
  manager_last_name: 'Démo',
  manager_first_name: 'Andréa',
  manager_email: 'andrea.demo@cap-avenir.example',
  manager_phone: '0240000000',
};
