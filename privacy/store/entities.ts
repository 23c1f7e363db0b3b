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

export type ConsentSubjectType = 'USER' | 'CONTACT';

/** One consent event; never updated or deleted. The latest record per (subject, purpose) is in force. */
export interface ConsentRecordRow {
  id: string;
  tenantId: string;
  subjectType: ConsentSubjectType;
  subjectId: string;
  purpose: string;
  status: 'GRANTED' | 'WITHDRAWN';
  /** The legal basis the record rests on, e.g. CONSENT or EXPLICIT_CONSENT. */
  basis: string;
  /** Where it was given or taken back: mobile-app, web, api, import, … */
  source: string;
  recordedBy: string;
  recordedAt: Date;
  /** Strictly increasing per store, so "latest" never depends on clock resolution. */
  sequence: number;
}

export const ConsentRecordEntity = new EntitySchema<ConsentRecordRow>({
  name: 'ConsentRecord',
  tableName: 'consent_records',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    subjectType: textColumn(16),
    subjectId: refColumn(),
    purpose: textColumn(32),
    status: textColumn(16),
    basis: textColumn(32),
    source: textColumn(64),
    recordedBy: refColumn(),
    recordedAt: dateColumn(),
    sequence: { type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
  },
});
