import type { Caller } from '../privacy/caller';

/** Per request: the caller once authenticated (absent for anonymous `__typename` probes). */
export interface GatewayContext {
  requestId: string;
  caller?: Caller;
}
