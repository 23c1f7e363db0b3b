import type { DataSource } from 'typeorm';
import { AuditLog } from '../store/audit';
import { ConsentStore } from '../store/consents';
import { ProcessingControlStore } from '../store/controls';
import { PartnerRegistry } from '../store/partners';
import { SuppressionList, suppressionKey } from '../store/suppression';
import { PrivacyRequestStore } from './requests';
import type { RightsTransport } from './transport';
import { RightsWorker, type RightsWorkerOptions } from './worker';

export interface RightsWorkerSetup {
  privacyStore: DataSource;
  transport: RightsTransport;
  auditKey: string;
  pseudonymSecret: string;
  options?: RightsWorkerOptions;
}

/** A rights worker over the privacy store, as `npm start` and `npm run worker` run it. */
export function createRightsWorker(setup: RightsWorkerSetup): RightsWorker {
  const store = setup.privacyStore;
  return new RightsWorker(
    {
      requests: new PrivacyRequestStore(store),
      transport: setup.transport,
      audit: new AuditLog(store, setup.auditKey),
      controls: new ProcessingControlStore(store),
      consents: new ConsentStore(store),
      partners: new PartnerRegistry(store),
      suppression: new SuppressionList(store, suppressionKey(setup.pseudonymSecret)),
    },
    setup.options,
  );
}
