import type { DataSource } from 'typeorm';
import { DEV_AUDIT_KEY, DEV_INTERNAL_SECRET } from '../../platform/env';
import { runRetention, type RetentionReport, type TenantRetention } from '../../privacy/retention/run';
import { RetentionSchedule } from '../../privacy/retention/schedule';
import { AuditLog } from '../../privacy/store/audit';
import { SEED_NOW } from '../../seed/generate';
import { DATA_SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/shared/subgraph';
import { startTestStack, type TestStack } from '../helpers/stack';

const DAY = 86_400_000;
let t: TestStack;
let tenantId: string;
let closedUser: { id: string; since: Date };
let suspendedUser: { id: string; since: Date };

/** Raw SQL on one store, identifiers quoted for its dialect: the oracle never goes through the code under test. */
async function sql<T = Record<string, unknown>>(name: SubgraphName | 'privacy', text: string, params: unknown[] = []): Promise<T[]> {
  const store: DataSource = t.stack.stores[name];
  return store.query(text.replace(/`(\w+)`/g, (_, id: string) => store.driver.escape(id)), params);
}
/** A stored time as a Date (SQLite answers its UTC text, MySQL a Date). */
const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`));
const count = async (name: SubgraphName | 'privacy', text: string, params: unknown[]) => Number(Object.values((await sql(name, text, params))[0]!)[0]);

const expiryControls = (userId: string) => count('privacy', "SELECT COUNT(*) FROM `processing_controls` WHERE `subjectId` = ? AND `control` = 'EXPIRY'", [userId]);

const urls = () => Object.fromEntries(DATA_SUBGRAPH_NAMES.map((name) => [name, t.stack.subgraphs[name].url]));
const run = (now: Date, extra: { holder?: string; limit?: number } = {}) =>
  runRetention({ subgraphUrls: urls(), internalSecret: DEV_INTERNAL_SECRET, store: t.stack.stores.privacy, auditKey: DEV_AUDIT_KEY, now: () => now, limit: extra.limit ?? 40, holder: extra.holder });

const ran = (report: RetentionReport): TenantRetention[] => {
  if (!report.ran) throw new Error('the run did not run');
  return report.tenants;
};
const ofTenant = (report: RetentionReport) => ran(report).find((r) => r.tenantId === tenantId)!;
const entity = (tenant: TenantRetention, subgraph: string, name: string) => tenant.entities.find((e) => e.subgraph === subgraph && e.entity === name)!;
const removedAnything = (tenant: TenantRetention) => tenant.accountsPurged > 0 || tenant.entities.some((e) => e.deleted + e.anonymized + e.unlinked + e.closed + e.drained > 0);

async function retentionRecords(): Promise<{ detail: string; requestId: string; actorRole: string; purpose: string }[]> {
  return (await new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY).records(tenantId)).filter((r) => r.action === 'RETENTION_RUN');
}

async function userState(id: string): Promise<{ status: string; statusSince: Date } | undefined> {
  const rows = await sql<{ status: string; statusSince: unknown }>('accounts', 'SELECT `status`, `statusSince` FROM `users` WHERE `id` = ?', [id]);
  return rows[0] ? { status: rows[0].status, statusSince: toDate(rows[0].statusSince) } : undefined;
}

beforeAll(async () => {
  t = await startTestStack();
  tenantId = t.demo.tenants[0]!.id;
  const ofTenant0 = t.demo.users.filter((u) => u.tenantId === tenantId);
  const closed = ofTenant0.find((u) => u.status === 'CLOSED')!;
  const suspended = ofTenant0.find((u) => u.status === 'SUSPENDED')!;
  closedUser = { id: closed.id, since: (await userState(closed.id))!.statusSince };
  suspendedUser = { id: suspended.id, since: (await userState(suspended.id))!.statusSince };
});

afterAll(async () => {
  await t.close();
});

describe('retention', () => {
  it('keeps a closed account on day 44 of its expiry, and a suspended one on day 44 of its suspension', async () => {
    const report = await run(new Date(closedUser.since.getTime() + 44 * DAY));
    expect(ofTenant(report).accountsPurged).toBe(0);
    expect(await userState(closedUser.id)).toMatchObject({ status: 'CLOSED' });
    expect(await userState(suspendedUser.id)).toMatchObject({ status: 'SUSPENDED' });
    expect(await count('location', 'SELECT COUNT(*) FROM `location_pings` WHERE `userId` = ?', [closedUser.id])).toBeGreaterThan(0);
    // The closed account's expiry is a control every subgraph reads; the suspended one has none yet.
    expect(await expiryControls(closedUser.id)).toBe(1);
    expect(await expiryControls(suspendedUser.id)).toBe(0);
  });

  it('purges a closed account on day 46 as erasure does, in every subgraph; closes a suspended one', async () => {
    const before = {
      pings: await count('location', 'SELECT COUNT(*) FROM `location_pings` WHERE `userId` = ?', [closedUser.id]),
      calls: await count('calls', 'SELECT COUNT(*) FROM `call_logs` WHERE `userId` = ?', [closedUser.id]),
      recordings: await count('calls', 'SELECT COUNT(*) FROM `call_logs` WHERE `userId` = ? AND `recordingUrl` IS NOT NULL', [closedUser.id]),
      owned: await count('contacts', 'SELECT COUNT(*) FROM `contacts` WHERE `ownerId` = ?', [closedUser.id]),
    };
    expect(Math.min(before.pings, before.calls, before.recordings, before.owned)).toBeGreaterThan(0);
    const now = new Date(closedUser.since.getTime() + 46 * DAY);
    const tenant = ofTenant(await run(now));

    expect(tenant.accountsPurged).toBe(1);
    expect(await userState(closedUser.id)).toBeUndefined();
    expect(await count('location', 'SELECT COUNT(*) FROM `location_pings` WHERE `userId` = ?', [closedUser.id])).toBe(0);
    expect(await count('calls', 'SELECT COUNT(*) FROM `call_logs` WHERE `userId` = ?', [closedUser.id])).toBe(0);
    expect(await count('contacts', 'SELECT COUNT(*) FROM `contacts` WHERE `ownerId` = ?', [closedUser.id])).toBe(0);
    expect(entity(tenant, 'accounts', 'User').deleted).toBe(1);
    expect(entity(tenant, 'location', 'LocationPing').deleted).toBe(before.pings);
    expect(entity(tenant, 'calls', 'CallLog').anonymized).toBe(before.calls);
    expect(entity(tenant, 'contacts', 'Contact').unlinked).toBe(before.owned);
    // The erased calls' recordings were queued for deletion and the same run drained the queue.
    expect(entity(tenant, 'calls', 'RecordingDeletion').drained).toBe(before.recordings);
    expect(await count('calls', 'SELECT COUNT(*) FROM `recording_deletions` WHERE `tenantId` = ? AND `deletedAt` IS NULL', [tenantId])).toBe(0);

    // Suspended for 46 days: closed now, so its own 45 days of expiry start today.
    expect(entity(tenant, 'accounts', 'User').closed).toBe(1);
    const suspended = await userState(suspendedUser.id);
    expect(suspended?.status).toBe('CLOSED');
    expect(Math.abs(suspended!.statusSince.getTime() - now.getTime())).toBeLessThan(1000);
    // The purged account's expiry went with it; the account closed now has its own.
    expect(await expiryControls(closedUser.id)).toBe(0);
    expect(await expiryControls(suspendedUser.id)).toBe(1);
  });

  it('removes nothing more when run twice', async () => {
    const now = new Date(closedUser.since.getTime() + 46 * DAY);
    const again = await run(now);
    for (const tenant of ran(again)) expect(removedAnything(tenant)).toBe(false);
    expect(await userState(suspendedUser.id)).toMatchObject({ status: 'CLOSED' });
  });

  it('deletes pings older than the retention period (90 days) and keeps newer ones, a page at a time', async () => {
    const now = new Date(SEED_NOW.getTime() + 75 * DAY);
    const cutoff = now.getTime() - 90 * DAY;
    const pings = await sql<{ id: string; recordedAt: unknown }>('location', 'SELECT `id`, `recordedAt` FROM `location_pings` WHERE `tenantId` = ?', [tenantId]);
    const older = pings.filter((p) => toDate(p.recordedAt).getTime() < cutoff).map((p) => p.id);
    const newer = pings.filter((p) => toDate(p.recordedAt).getTime() >= cutoff).map((p) => p.id).sort();
    expect(older.length).toBeGreaterThan(40); // more than one page of the run
    expect(newer.length).toBeGreaterThan(0);

    const tenant = ofTenant(await run(now));
    expect(entity(tenant, 'location', 'LocationPing').deleted).toBe(older.length);
    const left = (await sql<{ id: string }>('location', 'SELECT `id` FROM `location_pings` WHERE `tenantId` = ?', [tenantId])).map((p) => p.id).sort();
    expect(left).toEqual(newer);
    // The other tenant's pings obey the same rule, in the same run.
    const other = t.demo.tenants[1]!.id;
    const otherLeft = await sql<{ recordedAt: unknown }>('location', 'SELECT `recordedAt` FROM `location_pings` WHERE `tenantId` = ?', [other]);
    expect(otherLeft.every((p) => toDate(p.recordedAt).getTime() >= cutoff)).toBe(true);
  });

  it('writes one audit record per tenant and run, with counts per entity and never a value', async () => {
    const records = await retentionRecords();
    expect(records).toHaveLength(4); // one per run so far
    expect(new Set(records.map((r) => r.requestId)).size).toBe(4);
    expect(records.every((r) => r.actorRole === 'SYSTEM' && r.purpose === 'LEGAL')).toBe(true);
    const purge = JSON.parse(records[1]!.detail);
    expect(purge).toMatchObject({ accountsPurged: 1, entities: { 'accounts.User': { deleted: 1, closed: 1 } } });
    const values = t.demo.users.filter((u) => u.id === closedUser.id).flatMap((u) => [u.name, u.email, u.phone].filter(Boolean) as string[]);
    for (const record of records) for (const value of values) expect(record.detail).not.toContain(value);
    expect(Object.values(JSON.parse(records[2]!.detail).entities).every((counts) => Object.keys(counts as object).length === 0)).toBe(true);
    expect((await new AuditLog(t.stack.stores.privacy, DEV_AUDIT_KEY).verify(tenantId)).ok).toBe(true);
  });

  it('runs once when two runners start it at the same time', async () => {
    const now = new Date(SEED_NOW.getTime() + 80 * DAY);
    const before = (await retentionRecords()).length;
    const reports = await Promise.all([run(now, { holder: 'worker-a' }), run(now, { holder: 'worker-b' })]);
    expect(reports.filter((r) => r.ran)).toHaveLength(1);
    expect(reports.filter((r) => !r.ran)).toEqual([{ ran: false, reason: 'HELD_ELSEWHERE' }]);
    expect((await retentionRecords()).length).toBe(before + 1);
  });

  it('runs once per interval with two schedules (two workers), and again once the interval has passed', async () => {
    let now = new Date(SEED_NOW.getTime() + 90 * DAY);
    const schedule = (holder: string) =>
      new RetentionSchedule({ subgraphUrls: urls(), internalSecret: DEV_INTERNAL_SECRET, store: t.stack.stores.privacy, auditKey: DEV_AUDIT_KEY, now: () => now, holder, intervalMs: DAY });
    const [a, b] = [schedule('worker-a'), schedule('worker-b')];
    const before = (await retentionRecords()).length;
    const first = await Promise.all([a.tick(), b.tick()]);
    expect(first.filter((r) => r?.ran)).toHaveLength(1);
    // An hour later: completed within the interval, so neither runs it.
    now = new Date(now.getTime() + 3600_000);
    expect((await Promise.all([a.tick(), b.tick()])).filter((r) => r?.ran)).toHaveLength(0);
    // A day later it is due again: one of them runs it.
    now = new Date(now.getTime() + DAY);
    expect((await Promise.all([b.tick(), a.tick()])).filter((r) => r?.ran)).toHaveLength(1);
    await Promise.all([a.stop(), b.stop()]);
    expect((await retentionRecords()).length).toBe(before + 2);
  });
});
