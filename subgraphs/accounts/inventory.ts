import type { SubgraphInventory } from '../../privacy/inventory/types';
import { UserEntity } from './entities';

/**
 * accounts holds one kind of personal data: a user's profile. Tenants and teams are the
 * customer's organisation (no person's data). A user's profile is about that user; colleagues
 * relate through the user's team; a partner app's installer is compared by id.
 */
export const accountsInventory: SubgraphInventory = {
  entities: [
    {
      schema: UserEntity,
      graphqlType: 'User',
      // A closed account is expired: readable by the user and the DPO only (the EXPIRED gate).
      engine: { kind: 'USER', relatedUser: 'id', team: 'teamId', installer: 'id', expiredWhen: { column: 'status', equals: 'CLOSED' } },
      links: [{ column: 'id', person: 'USER', role: 'SUBJECT', onErase: 'DELETE_ROW' }],
      columns: {
        id: {},
        tenantId: {},
        teamId: { field: 'team' },
        name: { category: 'user.name', match: 'name', rectifiable: true },
        email: { category: 'user.contact.email', match: 'email', rectifiable: true },
        phone: { category: 'user.contact.phone_number', match: 'phone', rectifiable: true },
        title: { category: 'user.job_title', rectifiable: true },
        timezone: { category: 'user.location.imprecise' },
        language: { category: 'user.demographic.language' },
        status: {},
        statusSince: { field: null },
        createdAt: { field: null },
      },
      // "Closed account: expired for 45 days, then removed; suspended account closed after 45 days."
      retention: { kind: 'ACCOUNT_CLOSED', days: 45, status: { column: 'status', since: 'statusSince', closed: 'CLOSED', suspended: 'SUSPENDED' }, suspendedDays: 45 },
    },
  ],
};
