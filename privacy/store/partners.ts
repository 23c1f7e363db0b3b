import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { inTransaction } from '../../platform/database';
import { PartnerAppEntity, PartnerInstallationEntity, type PartnerAppRow, type PartnerInstallationRow } from './entities';

export const splitScopes = (scopes: string): string[] => scopes.split(',').map((s) => s.trim()).filter(Boolean);

/** Partner apps and their per-tenant installations, in the shared privacy store. */
export class PartnerRegistry {
  constructor(private readonly store: DataSource) {}

  /** The live installation of an app in a tenant, or null: one indexed statement. */
  activeInstallation(tenantId: string, clientId: string): Promise<PartnerInstallationRow | null> {
    return this.store.getRepository(PartnerInstallationEntity).findOne({ where: { tenantId, clientId, uninstalledAt: IsNull() } });
  }

  app(clientId: string): Promise<PartnerAppRow | null> {
    return this.store.getRepository(PartnerAppEntity).findOne({ where: { clientId } });
  }

  apps(): Promise<PartnerAppRow[]> {
    return this.store.getRepository(PartnerAppEntity).find({ order: { name: 'ASC' } });
  }

  activeInstallations(tenantId: string): Promise<PartnerInstallationRow[]> {
    return this.store.getRepository(PartnerInstallationEntity).find({ where: { tenantId, uninstalledAt: IsNull() } });
  }

  /** Installs (or re-scopes) an app for a tenant, in one transaction. */
  install(tenantId: string, clientId: string, scopes: string[], installedBy: string, now = new Date()): Promise<PartnerInstallationRow> {
    return inTransaction(this.store, async (tx) => {
      const repo = tx.getRepository(PartnerInstallationEntity);
      await repo.update({ tenantId, clientId, uninstalledAt: IsNull() }, { uninstalledAt: now });
      const row: PartnerInstallationRow = { id: randomUUID(), tenantId, clientId, scopes: scopes.join(','), installedBy, installedAt: now, uninstalledAt: null };
      await repo.insert(row);
      return row;
    });
  }

  /** True when a live installation was ended. */
  async uninstall(tenantId: string, clientId: string, now = new Date()): Promise<boolean> {
    const result = await this.store.getRepository(PartnerInstallationEntity).update({ tenantId, clientId, uninstalledAt: IsNull() }, { uninstalledAt: now });
    return (result.affected ?? 0) > 0;
  }
}
