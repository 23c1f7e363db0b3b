import { childCountLoader, childPageLoader, rowLoader } from '../shared/loaders';
import type { ListSpec } from '../shared/lists';
import type { TenantScope } from '../shared/tenant-scope';
import { CallLogEntity, type CallLogRow } from './entities';

const NEWEST_FIRST = { field: 'startedAt', direction: 'DESC' } as const;
/** Calls with a contact, newest first: following the call's link to the contact, so only calls whose contact the caller is shown. */
export const CALLS_OF_CONTACT: ListSpec<CallLogRow> = { entity: CallLogEntity, type: 'CallLog', sort: NEWEST_FIRST, parent: { column: 'contactId', link: 'contact' } };
/** A user's calls, newest first, optionally in a range of start times: only calls whose user the caller is shown. */
export const CALLS_OF_USER: ListSpec<CallLogRow> = {
  entity: CallLogEntity,
  type: 'CallLog',
  sort: NEWEST_FIRST,
  parent: { column: 'userId', link: 'user', isPerson: 'USER' },
  range: 'startedAt',
};

export function createCallLoaders(scope: TenantScope) {
  return {
    callLog: rowLoader(scope, CallLogEntity),
    callsOfContact: childPageLoader(scope, CALLS_OF_CONTACT),
    callCountOfContact: childCountLoader(scope, CALLS_OF_CONTACT),
    callsOfUser: childPageLoader(scope, CALLS_OF_USER),
    callCountOfUser: childCountLoader(scope, CALLS_OF_USER),
  };
}

export type CallLoaders = ReturnType<typeof createCallLoaders>;
