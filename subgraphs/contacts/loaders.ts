import { childCountLoader, childPageLoader, rowLoader, type ChildListSpec } from '../shared/loaders';
import type { TenantScope } from '../shared/tenant-scope';
import { ContactEntity } from './entities';

export const CONTACT_ORDER = { column: 'name', direction: 'ASC', kind: 'string' } as const;
const ownedContacts: ChildListSpec = { parentColumn: 'ownerId', sort: CONTACT_ORDER };

export function createContactLoaders(scope: TenantScope) {
  return {
    contact: rowLoader(scope, ContactEntity),
    contactsOfOwner: childPageLoader(scope, ContactEntity, ownedContacts),
    contactCountOfOwner: childCountLoader(scope, ContactEntity, ownedContacts),
  };
}

export type ContactLoaders = ReturnType<typeof createContactLoaders>;
