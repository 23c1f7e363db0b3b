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

/**
 * One audited request in one subgraph: who was shown personal data, under which purpose and
 * ticket, which fields with which effect. Records of a tenant form a keyed hash chain — each
 * carries the previous record's HMAC — so an edited, removed or reordered record breaks verification.
 */
export interface AuditRecordRow {
  id: string;
  tenantId: string;
  /** 1, 2, 3, … per tenant: the position in that tenant's chain. */
  sequence: number;
  recordedAt: Date;
  actorId: string;
  actorRole: string;
  purpose: string;
  ticketId: string | null;
  partnerClientId: string | null;
  /** The gateway's id of the request (unique per request). */
  requestId: string;
  /** The client's own x-request-id, if it sent one: for correlation only, never unique. */
  correlationId: string | null;
  /** The subgraph that disclosed the values. */
  service: string;
  action: string;
  /** JSON: what was disclosed, e.g. {"fields":{"Contact.email":{"FULL":3}}}. */
  detail: string;
  prevHash: string;
  hash: string;
}

export const AuditRecordEntity = new EntitySchema<AuditRecordRow>({
  name: 'AuditRecord',
  tableName: 'audit_records',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    sequence: { type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
    recordedAt: dateColumn(),
    actorId: refColumn(),
    actorRole: textColumn(16),
    purpose: textColumn(32),
    ticketId: textColumn(100, true),
    partnerClientId: textColumn(100, true),
    requestId: textColumn(64),
    correlationId: textColumn(64, true),
    service: textColumn(32),
    action: textColumn(32),
    detail: { type: 'text' },
    prevHash: textColumn(64),
    hash: textColumn(64),
  },
});

/** A person whose data an audited request disclosed: answers "who was shown my data". */
export interface AuditSubjectRow {
  auditId: string;
  tenantId: string;
  subjectType: ConsentSubjectType;
  subjectId: string;
}

export const AuditSubjectEntity = new EntitySchema<AuditSubjectRow>({
  name: 'AuditSubject',
  tableName: 'audit_subjects',
  columns: {
    auditId: { ...idColumn },
    tenantId: refColumn(),
    subjectType: { type: 'varchar', length: 16, primary: true },
    subjectId: { type: 'varchar', length: 36, primary: true },
  },
});

/** A restriction, an objection or an account's expiry in force for one person (see privacy/store/controls.ts). */
export interface ProcessingControlRow {
  tenantId: string;
  subjectType: ConsentSubjectType;
  subjectId: string;
  control: 'RESTRICTION' | 'OBJECTION' | 'EXPIRY';
  /** The purpose objected to; '' for a restriction (part of the key, so never null). */
  purpose: string;
  /** The rights request that set it, if any. */
  requestId: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export const ProcessingControlEntity = new EntitySchema<ProcessingControlRow>({
  name: 'ProcessingControl',
  tableName: 'processing_controls',
  columns: {
    tenantId: { type: 'varchar', length: 36, primary: true },
    subjectType: { type: 'varchar', length: 16, primary: true },
    subjectId: { type: 'varchar', length: 36, primary: true },
    control: { type: 'varchar', length: 16, primary: true },
    purpose: { type: 'varchar', length: 32, primary: true },
    requestId: refColumn(true),
    recordedBy: refColumn(),
    recordedAt: dateColumn(),
  },
});

/** Who runs a scheduled job now, and when it last completed (see privacy/store/leases.ts). */
export interface JobLeaseRow {
  job: string;
  holder: string | null;
  leasedUntil: Date | null;
  lastCompletedAt: Date | null;
}

export const JobLeaseEntity = new EntitySchema<JobLeaseRow>({
  name: 'JobLease',
  tableName: 'job_leases',
  columns: {
    job: { type: 'varchar', length: 64, primary: true },
    holder: textColumn(200, true),
    leasedUntil: dateColumn(true),
    lastCompletedAt: dateColumn(true),
  },
});
