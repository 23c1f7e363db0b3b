import { childCountLoader, childPageLoader, rowLoader, timeRange, type ChildListSpec } from '../shared/loaders';
import type { TenantScope } from '../shared/tenant-scope';
import { CallLogEntity } from './entities';

export const CALL_ORDER = { column: 'startedAt', direction: 'DESC', kind: 'date' } as const;
const callsOfContact: ChildListSpec = { parentColumn: 'contactId', sort: CALL_ORDER };
const callsOfUser: ChildListSpec = {
  parentColumn: 'userId',
  sort: CALL_ORDER,
  filterFor: ({ from, to }) => timeRange('startedAt', from, to),
};

export function createCallLoaders(scope: TenantScope) {
  return {
    callLog: rowLoader(scope, CallLogEntity),
    callsOfContact: childPageLoader(scope, CallLogEntity, callsOfContact),
    callCountOfContact: childCountLoader(scope, CallLogEntity, callsOfContact),
    callsOfUser: childPageLoader(scope, CallLogEntity, callsOfUser),
    callCountOfUser: childCountLoader(scope, CallLogEntity, callsOfUser),
  };
}

export type CallLoaders = ReturnType<typeof createCallLoaders>;
