import type { DataSource } from 'typeorm';
import { loadGatewayConfig, type GatewayConfig } from '../gateway/config';
import { startGateway } from '../gateway/server';
import { once, type RunningServer } from '../platform/http';
import { childLogger } from '../platform/logger';
import { generateDemoData } from '../seed/generate';
import { isEmpty, loadDemoData } from '../seed/load';
import { SUBGRAPHS } from '../subgraphs';
import { loadSubgraphConfig, type SubgraphConfig } from '../subgraphs/shared/config';
import { openDatabase } from '../platform/database';
import { PRIVACY_STORE } from '../privacy/store';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/shared/server';
import { DATA_SUBGRAPH_NAMES, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/shared/subgraph';
import { HttpRightsTransport, type RightsTransport } from '../privacy/rights/transport';
import { createRightsWorker } from '../privacy/rights/runtime';
import type { RightsWorker, RightsWorkerOptions } from '../privacy/rights/worker';
import { RetentionSchedule } from '../privacy/retention/schedule';

const log = childLogger('stack');

export interface StackOptions {
  subgraph?: Partial<SubgraphConfig>;
  gateway?: Partial<GatewayConfig>;
  /** Seed the demo data when the store is empty (default: outside production only). */
  seedIfEmpty?: boolean;
  seedScale?: number;
  /** The rights contract of the data subgraphs (default: signed HTTP to the subgraphs this stack starts). */
  rightsTransport?: RightsTransport;
  /** Run a rights worker in this process (default: RIGHTS_WORKER, on); options for it. */
  rightsWorker?: boolean | RightsWorkerOptions;
}

export interface Stack {
  gateway: RunningServer;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  stores: Stores;
  /** The retention run on its schedule, when RETENTION_SCHEDULE is on. */
  retention?: RetentionSchedule;
  /** The in-process rights worker, when it runs. */
  worker?: RightsWorker;
  close(): Promise<void>;
}

export type Stores = Record<SubgraphName | 'privacy', DataSource>;

/** Opens every subgraph's store and the shared privacy store, migrating each. */
export async function openStores(databaseUrl: string): Promise<Stores> {
  const stores = { privacy: await openDatabase(PRIVACY_STORE, databaseUrl) } as Stores;
  for (const name of SUBGRAPH_NAMES) {
    // The privacy subgraph serves the shared privacy store: one store, opened once.
    stores[name] = SUBGRAPHS[name].database === PRIVACY_STORE ? stores.privacy : await openDatabase(SUBGRAPHS[name].database, databaseUrl);
  }
  return stores;
}

export async function closeStores(stores: Stores): Promise<void> {
  for (const store of new Set(Object.values(stores))) if (store.isInitialized) await store.destroy();
}

/**
 * The whole product in one process: the subgraphs, the rights worker and the gateway, each on its own port, as
 * `npm start` runs it. The same servers also run one per process (see docker-compose.yml).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const subgraphConfig = { ...loadSubgraphConfig(), ...options.subgraph };
  const stores = await openStores(subgraphConfig.databaseUrl);
  const gatewayConfig = { ...loadGatewayConfig(), ...options.gateway };
  // A production store starts empty and is filled by its owners: demo people never land in it.
  const seedIfEmpty = options.seedIfEmpty ?? !gatewayConfig.production;
  if (seedIfEmpty && (await isEmpty(stores.accounts))) {
    log.info('empty database: loading demo data');
    await loadDemoData(stores, generateDemoData({ scale: options.seedScale }));
  }

  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  // The data subgraphs first: the privacy subgraph and the worker reach them through the rights contract.
  let transport = options.rightsTransport;
  const rightsTransport = () =>
    (transport ??= new HttpRightsTransport({ urls: Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])), secret: subgraphConfig.internalSecret }));
  for (const name of SUBGRAPH_NAMES) {
    subgraphs[name] = await startSubgraph(SUBGRAPHS[name], {
      host: subgraphConfig.host,
      port: subgraphConfig.ports[name],
      dataSource: stores[name],
      privacyStore: stores.privacy,
      internalSecret: subgraphConfig.internalSecret,
      introspection: subgraphConfig.introspection,
      bodyLimit: subgraphConfig.bodyLimit,
      pseudonymSecret: subgraphConfig.pseudonymSecret,
      auditKey: subgraphConfig.auditKey,
      privacyEnforcement: subgraphConfig.privacyEnforcement,
      privacyEngine: subgraphConfig.privacyEngine,
      recordingsBaseUrl: subgraphConfig.recordingsBaseUrl,
      shutdownTimeoutMs: subgraphConfig.shutdownTimeoutMs,
      ...(name === 'privacy' ? { rightsTransport: rightsTransport(), rightsMaxRequestsPer30Days: subgraphConfig.rightsMaxRequestsPer30Days } : {}),
    });
  }
  const runWorker = options.rightsWorker ?? subgraphConfig.rightsWorker;
  const worker = runWorker
    ? createRightsWorker({ privacyStore: stores.privacy, transport: rightsTransport(), auditKey: subgraphConfig.auditKey, pseudonymSecret: subgraphConfig.pseudonymSecret, options: typeof runWorker === 'object' ? runWorker : undefined })
    : undefined;
  worker?.start();

  // The gateway calls the subgraphs of this process without a socket, unless told to use HTTP or
  // pointed elsewhere for one of them.
  const elsewhere = options.gateway?.subgraphUrls ?? {};
  const localSubgraphs =
    subgraphConfig.subgraphTransport === 'in-process'
      ? Object.fromEntries(SUBGRAPH_NAMES.filter((name) => !elsewhere[name]).map((name) => [name, subgraphs[name].local]))
      : {};
  const gateway = await startGateway(
    {
      ...gatewayConfig,
      subgraphUrls: {
        ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])),
        ...elsewhere,
      },
    },
    { localSubgraphs },
  );

  const retention = subgraphConfig.retentionSchedule ? startRetentionSchedule(subgraphs, stores, subgraphConfig) : undefined;

  return {
    gateway,
    subgraphs,
    stores,
    retention,
    worker,
    // Graceful: the gateway finishes its requests in flight (which still need the subgraphs), then
    // the subgraphs finish theirs, then the stores close. Calling it twice awaits the same stop.
    close: once(async () => {
      await retention?.stop();
      await gateway.close();
      // The worker stops after its current page (saved), before the subgraphs it calls go.
      await worker?.stop();
      await Promise.all(SUBGRAPH_NAMES.map((name) => subgraphs[name].close()));
      await closeStores(stores);
    }),
  };
}

/**
 * Starts the retention run on its schedule in this process (every RETENTION_INTERVAL_MINUTES; with
 * several processes the job's lease lets one of them run it). A separate worker process starts
 * the same schedule with the subgraphs' URLs.
 */
export function startRetentionSchedule(subgraphs: Record<SubgraphName, RunningSubgraph>, stores: Stores, config: SubgraphConfig): RetentionSchedule {
  const schedule = new RetentionSchedule({
    subgraphUrls: Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])),
    internalSecret: config.internalSecret,
    store: stores.privacy,
    auditKey: config.auditKey,
    intervalMs: config.retentionIntervalMs,
    exportRetentionDays: config.exportRetentionDays,
  });
  schedule.start();
  return schedule;
}
