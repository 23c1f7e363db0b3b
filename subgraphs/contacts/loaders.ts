import { childCountLoader, childPageLoader, rowLoader } from '../shared/loaders';
import type { ListSpec } from '../shared/lists';
import type { TenantScope } from '../shared/tenant-scope';
import { ContactEntity, type ContactRow } from './entities';

/** The tenant's contacts, by name. */
export const CONTACTS: ListSpec<ContactRow> = { entity: ContactEntity, type: 'Contact', sort: { field: 'name', direction: 'ASC' } };
/** The contacts a user owns, by name (ownership is not personal data of the contact: every colleague sees it). */
export const OWNED_CONTACTS: ListSpec<ContactRow> = { ...CONTACTS, parent: { column: 'ownerId' } };

export function createContactLoaders(scope: TenantScope) {
  return {
    contact: rowLoader(scope, ContactEntity),
    contactsOfOwner: childPageLoader(scope, OWNED_CONTACTS),
    contactCountOfOwner: childCountLoader(scope, OWNED_CONTACTS),
  };
}

export type ContactLoaders = ReturnType<typeof createContactLoaders>;
