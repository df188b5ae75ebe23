import type { Selectable } from 'kysely';
import type { MembershipRequestTable } from '../../db/schema.js';

export function membershipRequestView(r: Selectable<MembershipRequestTable>) {
  return {
    id: r.id,
    status: r.status,
    legalName: r.legal_name,
    siret: r.siret,
    nda: r.nda,
    qualiopi: r.qualiopi,
    qualiopiExpiry: r.qualiopi_expiry,
    address: r.address,
    accountManager: { lastName: r.manager_last_name, firstName: r.manager_first_name, email: r.manager_email, phone: r.manager_phone },
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    reason: r.reason,
    organisationId: r.organisation_id,
  };
}
