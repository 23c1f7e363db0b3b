import { EntitySchema } from 'typeorm';
import { dateColumn, idColumn, refColumn, textColumn } from '../../platform/columns';

/** A third-party app registered once with the vendor; tenants install it (vendor-wide, not tenant-owned). */
export interface PartnerAppRow {
  clientId: string;
  name: string;
  /** Comma-separated scopes the app may ask for, e.g. "profile,contacts.pseudonymous". */
  allowedScopes: string;
  /** A mapping provider receives coordinates only (assyst). */
  kind: 'INTEGRATION' | 'MAPPING';
  createdAt: Date;
}

/** One tenant's installation of a partner app, by that tenant's ADMIN. Uninstalling keeps the row. */
export interface PartnerInstallationRow {
  id: string;
  tenantId: string;
  clientId: string;
  scopes: string;
  installedBy: string;
  installedAt: Date;
  uninstalledAt: Date | null;
}

export const PartnerAppEntity = new EntitySchema<PartnerAppRow>({
  name: 'PartnerApp',
  tableName: 'partner_apps',
  columns: {
    clientId: { type: 'varchar', length: 100, primary: true },
    name: textColumn(200),
    allowedScopes: textColumn(500),
    kind: textColumn(16),
    createdAt: dateColumn(),
  },
});

export const PartnerInstallationEntity = new EntitySchema<PartnerInstallationRow>({
  name: 'PartnerInstallation',
  tableName: 'partner_installations',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    clientId: textColumn(100),
    scopes: textColumn(500),
    installedBy: refColumn(),
    installedAt: dateColumn(),
    uninstalledAt: dateColumn(true),
  },
});
