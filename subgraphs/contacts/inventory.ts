import type { SubgraphInventory } from '../../privacy/inventory/types';
import { ContactEntity } from './entities';

/**
 * contacts: a contact is its own subject. Its owner is a user who merely relates to it: erasing
 * that user unlinks the contact (owner and the owner's team cleared), the contact stays the
 * tenant's. Erasing the contact deletes the row. The search index (contact_search_tokens: its
 * name, email, phone and company word by word; contact_search_pending) is a copy the store's own
 * triggers keep with the row — a deleted contact's words go in the same statement, a rectified
 * contact is re-indexed on the next search — so it has no entry of its own here.
 */
export const contactsInventory: SubgraphInventory = {
  entities: [
    {
      schema: ContactEntity,
      graphqlType: 'Contact',
      engine: { kind: 'CONTACT', relatedUser: 'ownerId', team: 'teamId', birthDate: 'birthDate' },
      links: [
        { column: 'id', person: 'CONTACT', role: 'SUBJECT', onErase: 'DELETE_ROW' },
        // The team is the owner's, copied onto the contact: it goes with the owner.
        { column: 'ownerId', person: 'USER', role: 'OWNER', optional: true, onErase: 'UNLINK', linkErasure: 'NULL', derived: ['teamId'] },
      ],
      columns: {
        id: {},
        tenantId: {},
        ownerId: { field: 'owner' },
        teamId: { field: null },
        name: { category: 'user.name', match: 'name', rectifiable: true },
        email: { category: 'user.contact.email', match: 'email', rectifiable: true },
        phone: { category: 'user.contact.phone_number', match: 'phone', rectifiable: true },
        company: { category: 'user.workplace', rectifiable: true },
        address: { category: 'user.contact.address', match: 'text', rectifiable: true },
        birthDate: { category: 'user.demographic.date_of_birth', rectifiable: true },
        source: {},
        stage: {},
        lastSpokenAt: { category: 'user.behavior.interaction' },
        createdAt: {},
        updatedAt: { field: null },
      },
      retention: { kind: 'WHILE_NEEDED' },
    },
  ],
};
