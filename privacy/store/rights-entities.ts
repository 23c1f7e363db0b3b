import { EntitySchema } from 'typeorm';
import { idColumn, refColumn, textColumn } from '../../platform/columns';
import type { ConsentSubjectType } from './entities';

/**
 * Times of the rights workflow are kept as epoch milliseconds (bigint): leases, back-off and due
 * dates are compared in SQL on both stores, and a number compares the same way everywhere.
 */
const epochMs = (nullable = false) => ({
  type: 'bigint' as const,
  nullable,
  transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)) },
});

export const REQUEST_TYPES = ['ACCESS', 'EXPORT', 'RECTIFY', 'ERASE', 'RESTRICT', 'LIFT_RESTRICTION', 'OBJECT'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_STATUSES = ['RECEIVED', 'VERIFIED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const STEP_STATUSES = ['PENDING', 'RUNNING', 'DONE', 'FAILED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A data subject's request (Art. 15-21), from receipt to completion or rejection. */
export interface PrivacyRequestRow {
  id: string;
  tenantId: string;
  subjectType: ConsentSubjectType;
  subjectId: string;
  type: RequestType;
  /** OBJECT: the purpose objected to. */
  purpose: string | null;
  status: RequestStatus;
  /** REJECTED: why (a code, e.g. VERIFICATION_FAILED, MANIFESTLY_EXCESSIVE). */
  rejectionReason: string | null;
  requestedBy: string;
  requestedByRole: string;
  verifiedBy: string | null;
  approvedBy: string | null;
  executedBy: string | null;
  /** RECTIFY: JSON object of field -> corrected value (the subject's own new value; dropped once applied). */
  corrections: string | null;
  /** JSON: the data points verification matched (names only) and keyed hashes of the email/phone claimed, for the suppression list. */
  verification: string | null;
  /** ERASE: JSON array of keyed fingerprints taken before erasure, for the residue sweep. */
  fingerprints: string | null;
  /** JSON: what the request produced (export receipt, counts, dry-run counts), never values. */
  result: string | null;
  receivedAt: number;
  dueAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export const PrivacyRequestEntity = new EntitySchema<PrivacyRequestRow>({
  name: 'PrivacyRequest',
  tableName: 'privacy_requests',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    subjectType: textColumn(16),
    subjectId: textColumn(64),
    type: textColumn(24),
    purpose: textColumn(32, true),
    status: textColumn(16),
    rejectionReason: textColumn(64, true),
    requestedBy: refColumn(),
    requestedByRole: textColumn(16),
    verifiedBy: refColumn(true),
    approvedBy: refColumn(true),
    executedBy: refColumn(true),
    corrections: { type: 'text', nullable: true },
    verification: { type: 'text', nullable: true },
    fingerprints: { type: 'text', nullable: true },
    result: { type: 'text', nullable: true },
    receivedAt: epochMs(),
    dueAt: epochMs(),
    updatedAt: epochMs(),
    completedAt: epochMs(true),
  },
});

/** What one step does. DESCRIBE plans a subgraph's entity steps; the others run one contract operation or a local action. */
export const STEP_ACTIONS = ['DESCRIBE', 'EXPORT', 'FINGERPRINTS', 'DRY_RUN', 'ERASE', 'RECTIFY', 'CONTROL', 'SUPPRESS', 'FINALIZE'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** One unit of a request's work: one subgraph (and entity), run by whichever worker holds its lease. */
export interface PrivacyRequestStepRow {
  id: string;
  requestId: string;
  tenantId: string;
  /** Steps of a phase start only when every step of the earlier phases is DONE. */
  phase: number;
  /** The subgraph it calls, or 'privacy' for work on the privacy store itself. */
  subgraph: string;
  entity: string;
  action: StepAction;
  status: StepStatus;
  /** The contract cursor of the next page (null: from the start). */
  cursor: string | null;
  pages: number;
  attempts: number;
  /** The code of the last failure, never a value. */
  lastError: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** Back-off: not claimed before this time. */
  notBefore: number;
  /** JSON counts of what the step did. */
  counts: string | null;
  createdAt: number;
  updatedAt: number;
}

export const PrivacyRequestStepEntity = new EntitySchema<PrivacyRequestStepRow>({
  name: 'PrivacyRequestStep',
  tableName: 'privacy_request_steps',
  columns: {
    id: idColumn,
    requestId: refColumn(),
    tenantId: refColumn(),
    phase: { type: 'int' },
    subgraph: textColumn(32),
    entity: textColumn(64),
    action: textColumn(16),
    status: textColumn(16),
    cursor: textColumn(512, true),
    pages: { type: 'int' },
    attempts: { type: 'int' },
    lastError: textColumn(64, true),
    leaseOwner: textColumn(64, true),
    leaseExpiresAt: epochMs(true),
    notBefore: epochMs(),
    counts: { type: 'text', nullable: true },
    createdAt: epochMs(),
    updatedAt: epochMs(),
  },
});

/** One page of an export, kept until the document is read (the document is assembled from its pages). */
export interface PrivacyExportPartRow {
  id: string;
  requestId: string;
  subgraph: string;
  entity: string;
  /** 0, 1, 2, … per (request, subgraph, entity); unique, so a page saved twice after a lost lease collides. */
  page: number;
  /** JSON array of rows. */
  rows: string;
}

export const PrivacyExportPartEntity = new EntitySchema<PrivacyExportPartRow>({
  name: 'PrivacyExportPart',
  tableName: 'privacy_export_parts',
  columns: {
    id: idColumn,
    requestId: refColumn(),
    subgraph: textColumn(32),
    entity: textColumn(64),
    page: { type: 'int' },
    rows: { type: 'text' },
  },
});

/** A keyed hash of an erased person's email or phone: a re-import of the same person is flagged. */
export interface SuppressionRow {
  tenantId: string;
  fingerprint: string;
  kind: 'EMAIL' | 'PHONE';
  requestId: string;
  recordedAt: number;
}

export const SuppressionEntity = new EntitySchema<SuppressionRow>({
  name: 'Suppression',
  tableName: 'suppression_list',
  columns: {
    tenantId: { type: 'varchar', length: 36, primary: true },
    fingerprint: { type: 'varchar', length: 64, primary: true },
    kind: textColumn(8),
    requestId: refColumn(),
    recordedAt: epochMs(),
  },
});

export const RIGHTS_ENTITIES = [PrivacyRequestEntity, PrivacyRequestStepEntity, PrivacyExportPartEntity, SuppressionEntity];
