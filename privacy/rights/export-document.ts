import { createHash } from 'node:crypto';
import { PURPOSE_DEFINITIONS, PURPOSES } from '../policy';
import type { AuditRecordRow } from '../store/entities';
import type { PrivacyExportPartRow, PrivacyRequestRow } from '../store/rights-entities';

/** Version of the export document's shape; raised whenever a key is renamed or removed. */
export const EXPORT_SCHEMA_VERSION = 1;

/** The part of an export the privacy store itself contributes, snapshotted when the export is finalized. */
export interface PrivacySummary {
  generatedAt: string;
  consents: { purpose: string; status: string; basis: string; source: string; recordedAt: string; recordedBy: string }[];
  processingControls: { kind: string; purpose?: string }[];
  recipients: { clientId: string; name: string | null; kind: string | null; scopes: string[]; installedAt: string }[];
  accessLog: { at: string; actorId: string; actorRole: string; purpose: string; service: string; fields: Record<string, Record<string, number>> }[];
}

export const PRIVACY_PART = { subgraph: 'privacy', entity: 'summary' } as const;

/** The purposes the subject's data is used for, with their legal basis (policy data). */
export const purposesAndBases = () => PURPOSES.map((purpose) => ({ purpose, basis: PURPOSE_DEFINITIONS[purpose].basis, ...(PURPOSE_DEFINITIONS[purpose].consent ? { consent: PURPOSE_DEFINITIONS[purpose].consent } : {}) }));

/** The fields (names and counts) an audited disclosure showed, never values. */
export function disclosedFields(record: Pick<AuditRecordRow, 'detail'>): Record<string, Record<string, number>> {
  try {
    const detail = JSON.parse(record.detail) as { fields?: Record<string, Record<string, number>> };
    return detail.fields ?? {};
  } catch {
    return {};
  }
}

/**
 * The export document, assembled from the pages the worker saved and the privacy summary, in a
 * fixed order (subgraph, entity, page), so the same pages always serialize to the same bytes and
 * the SHA-256 receipt taken at completion is checkable whenever the document is read.
 */
export function assembleExport(request: Pick<PrivacyRequestRow, 'id' | 'tenantId' | 'subjectType' | 'subjectId' | 'type'>, parts: readonly PrivacyExportPartRow[]): string {
  const data: Record<string, Record<string, unknown[]>> = {};
  let summary: PrivacySummary | undefined;
  const sorted = [...parts].sort((a, b) => (a.subgraph < b.subgraph ? -1 : a.subgraph > b.subgraph ? 1 : a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.page - b.page));
  for (const part of sorted) {
    if (part.subgraph === PRIVACY_PART.subgraph && part.entity === PRIVACY_PART.entity) {
      summary = JSON.parse(part.rows) as PrivacySummary;
      continue;
    }
    const bySubgraph = data[part.subgraph] ?? (data[part.subgraph] = {});
    const rows = bySubgraph[part.entity] ?? (bySubgraph[part.entity] = []);
    for (const row of JSON.parse(part.rows) as unknown[]) rows.push(row);
  }
  const document = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    requestId: request.id,
    tenantId: request.tenantId,
    subject: { type: request.subjectType, id: request.subjectId },
    generatedAt: summary?.generatedAt ?? null,
    data,
    consents: summary?.consents ?? [],
    processingControls: summary?.processingControls ?? [],
    purposes: purposesAndBases(),
    recipients: summary?.recipients ?? [],
    accessLog: summary?.accessLog ?? [],
  };
  return JSON.stringify(document);
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
