import type { DataSource, EntityManager, EntitySchema, ObjectLiteral } from 'typeorm';
import { TeamEntity, TenantEntity, UserEntity } from '../subgraphs/accounts/entities';
import { CallLogEntity } from '../subgraphs/calls/entities';
import { ContactEntity } from '../subgraphs/contacts/entities';
import { GeofenceEntity, LocationPingEntity } from '../subgraphs/location/entities';
import { ConsentRecordEntity, PartnerAppEntity, PartnerInstallationEntity } from '../privacy/store/entities';
import type { SubgraphName } from '../subgraphs/shared/subgraph';
import type { DemoData } from './generate';

const CHUNK = 400;

async function insertAll<T extends ObjectLiteral>(manager: EntityManager, entity: EntitySchema<T>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + CHUNK)).execute();
  }
}

/** True when the accounts store holds no tenant yet (a fresh database). */
export async function isEmpty(accounts: DataSource): Promise<boolean> {
  return (await accounts.getRepository(TenantEntity).count()) === 0;
}

/** Writes the demo data into each subgraph's own store and the privacy store, each in one transaction. */
export async function loadDemoData(stores: Record<SubgraphName | 'privacy', DataSource>, data: DemoData): Promise<void> {
  await stores.privacy.transaction(async (tx) => {
    await insertAll(tx, PartnerAppEntity, data.partnerApps);
    await insertAll(tx, PartnerInstallationEntity, data.partnerInstallations);
    await insertAll(tx, ConsentRecordEntity, data.consentRecords);
  });
  await stores.accounts.transaction(async (tx) => {
    await insertAll(tx, TenantEntity, data.tenants);
    await insertAll(tx, TeamEntity, data.teams);
    await insertAll(tx, UserEntity, data.users);
  });
  await stores.contacts.transaction((tx) => insertAll(tx, ContactEntity, data.contacts));
  await stores.calls.transaction((tx) => insertAll(tx, CallLogEntity, data.callLogs));
  await stores.location.transaction(async (tx) => {
    await insertAll(tx, LocationPingEntity, data.locationPings);
    await insertAll(tx, GeofenceEntity, data.geofences);
  });
}
