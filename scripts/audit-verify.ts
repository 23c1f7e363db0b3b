/**
 * Checks every tenant's audit chain (and, with --anchor, then records the current heads):
 *   npm run audit:verify              exit 1 and name the first broken link or missing chain
 *   npm run audit:anchor              verify, then append each tenant's head to the anchor file
 * Run the anchoring on a schedule (cron, a systemd timer, a Kubernetes CronJob) as an identity the
 * services do not have, with AUDIT_ANCHOR_FILE on storage they cannot write. Reads DATABASE_URL and
 * AUDIT_KEY like the subgraphs.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '../platform/database';
import { parseEnv } from '../platform/env';
import { PRIVACY_STORE } from '../privacy/store';
import { AnchorFile, type AuditHead } from '../privacy/store/audit-anchors';
import { AuditLog, type ChainVerification } from '../privacy/store/audit';
import { loadSubgraphConfig } from '../subgraphs/shared/config';

export const DEFAULT_ANCHOR_FILE = 'data/audit-anchors.jsonl';

export interface TenantReport extends ChainVerification {
  tenantId: string;
  /** The anchored head the chain was held against, if any. */
  anchoredAt?: number;
}

/** Verifies the chain of every tenant that has records or an anchor: a tenant anchored but without records has lost its chain. */
export async function verifyAllChains(audit: AuditLog, anchors: Map<string, AuditHead>): Promise<TenantReport[]> {
  const tenants = new Set([...(await audit.heads()).map((h) => h.tenantId), ...anchors.keys()]);
  const reports: TenantReport[] = [];
  for (const tenantId of [...tenants].sort()) {
    const anchor = anchors.get(tenantId);
    reports.push({ tenantId, ...(anchor ? { anchoredAt: anchor.sequence } : {}), ...(await audit.verify(tenantId, anchor)) });
  }
  return reports;
}

export function describeReport(report: TenantReport): string {
  const anchored = report.anchoredAt ? `, anchored at ${report.anchoredAt}` : ', not anchored yet';
  if (report.ok) return `ok      tenant ${report.tenantId}: ${report.records} records${anchored}`;
  return `BROKEN  tenant ${report.tenantId}: ${report.reason} at sequence ${report.brokenAt} (${report.records} records${anchored})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { anchor: { type: 'boolean', default: false } } });
  const { databaseUrl, auditKey } = loadSubgraphConfig();
  const { AUDIT_ANCHOR_FILE } = parseEnv(z.object({ AUDIT_ANCHOR_FILE: z.string().min(1).default(DEFAULT_ANCHOR_FILE) }));
  const store = await openDatabase(PRIVACY_STORE, databaseUrl);
  try {
    const audit = new AuditLog(store, auditKey);
    const anchors = new AnchorFile(AUDIT_ANCHOR_FILE);
    const reports = await verifyAllChains(audit, anchors.latest());
    for (const report of reports) process.stdout.write(`${describeReport(report)}\n`);
    const broken = reports.filter((r) => !r.ok);
    if (broken.length > 0) {
      process.stdout.write(`${broken.length} of ${reports.length} chains broken${values.anchor ? ': nothing anchored' : ''}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${reports.length} chains verified\n`);
    if (values.anchor) {
      const heads = await audit.heads();
      anchors.append(heads);
      process.stdout.write(`anchored ${heads.length} heads in ${AUDIT_ANCHOR_FILE}\n`);
    }
  } finally {
    await store.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`audit verification failed to run: ${(error as Error).message}\n`);
    process.exit(2);
  });
}
