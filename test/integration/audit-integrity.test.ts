import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../platform/database';
import { DEV_AUDIT_KEY } from '../../platform/env';
import { PRIVACY_STORE } from '../../privacy/store';
import { AnchorFile } from '../../privacy/store/audit-anchors';
import { AuditLog, recordHash, type AuditEntry } from '../../privacy/store/audit';
import { ConsentStore } from '../../privacy/store/consents';
import { describeReport, verifyAllChains } from '../../scripts/audit-verify';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const run = promisify(execFile);
const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';
const ACTOR = '00000000-0000-4000-8000-0000000000ac';
const subjectId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

let database: TestDatabase;
let store: DataSource;
/** A second connection pool to the same store, as another process would have. */
let otherWriter: DataSource;
let anchorDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  store = await openDatabase(PRIVACY_STORE, database.url);
  otherWriter = await openDatabase(PRIVACY_STORE, database.url);
  anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-anchors-'));
});
afterAll(async () => {
  await otherWriter.destroy();
  await store.destroy();
  await database.drop();
  fs.rmSync(anchorDir, { recursive: true, force: true });
});

const entry = (tenantId: string, i: number): AuditEntry => ({
  tenantId,
  actorId: ACTOR,
  actorRole: 'DPO',
  purpose: 'LEGAL',
  ticketId: null,
  partnerClientId: null,
  requestId: `request-${i}`,
  correlationId: null,
  service: 'contacts',
  action: 'DISCLOSURE',
  detail: JSON.stringify({ fields: { 'Contact.email': { FULL: i + 1 } } }),
});
const q = (name: string) => store.driver.escape(name);

describe('the keyed audit chain', () => {
  it('keeps one unbroken chain when two writers (as two processes) append at once', async () => {
    const writers = [new AuditLog(store, DEV_AUDIT_KEY), new AuditLog(otherWriter, DEV_AUDIT_KEY)];
    await Promise.all(Array.from({ length: 40 }, (_, i) => writers[i % 2]!.append(entry(TENANT_A, i), [{ type: 'CONTACT', id: subjectId(i) }])));
    const audit = new AuditLog(store, DEV_AUDIT_KEY);
    expect((await audit.records(TENANT_A)).map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await audit.verify(TENANT_A)).toEqual({ ok: true, records: 40 });
  });

  it('is not valid under another key: a chain rebuilt without the key is detected', async () => {
    expect((await new AuditLog(store, 'another-key-of-at-least-32-characters-00').verify(TENANT_A)).ok).toBe(false);
    // Someone who can write the database but lacks the key edits record 5 and recomputes plain SHA-256 hashes.
    const audit = new AuditLog(store, DEV_AUDIT_KEY);
    const record = (await audit.records(TENANT_A))[4]!;
    const edited = { ...record, detail: '{"fields":{}}' };
    const { hash: _old, ...unhashed } = edited;
    const forgedHash = createHash('sha256').update(JSON.stringify(unhashed)).digest('hex');
    await store.query(`UPDATE ${q('audit_records')} SET ${q('detail')} = ?, ${q('hash')} = ? WHERE ${q('id')} = ?`, [edited.detail, forgedHash, record.id]);
    expect(await audit.verify(TENANT_A)).toMatchObject({ ok: false, brokenAt: 5 });
    await store.query(`UPDATE ${q('audit_records')} SET ${q('detail')} = ?, ${q('hash')} = ? WHERE ${q('id')} = ?`, [record.detail, record.hash, record.id]);
    expect((await audit.verify(TENANT_A)).ok).toBe(true);
  });

  it('detects a record appended by someone without the key', async () => {
    const audit = new AuditLog(store, DEV_AUDIT_KEY);
    const forger = new AuditLog(store, 'a-forger-key-that-is-long-enough-0000000');
    const forged = await forger.append(entry(TENANT_A, 99), []);
    expect(await audit.verify(TENANT_A)).toMatchObject({ ok: false, brokenAt: forged.sequence });
    await store.query(`DELETE FROM ${q('audit_records')} WHERE ${q('id')} = ?`, [forged.id]);
    expect((await audit.verify(TENANT_A)).ok).toBe(true);
  });

  it('hashes every field, the correlation id included', () => {
    const base = { ...entry(TENANT_A, 1), id: 'x', sequence: 1, recordedAt: new Date(0), prevHash: '0'.repeat(64) };
    expect(recordHash(DEV_AUDIT_KEY, base, [])).not.toBe(recordHash(DEV_AUDIT_KEY, { ...base, correlationId: 'c' }, []));
  });
});

describe('anchors and npm run audit:verify', () => {
  let anchors: AnchorFile;
  const audit = () => new AuditLog(store, DEV_AUDIT_KEY);

  beforeAll(async () => {
    for (let i = 0; i < 6; i += 1) await audit().append(entry(TENANT_B, i), [{ type: 'USER', id: subjectId(i) }]);
    anchors = new AnchorFile(path.join(anchorDir, 'anchors.jsonl'));
    anchors.append(await audit().heads());
  });

  it('finds every chain intact against its anchor', async () => {
    const reports = await verifyAllChains(audit(), anchors.latest());
    expect(reports.map((r) => [r.tenantId, r.ok, r.records, r.anchoredAt])).toEqual([
      [TENANT_A, true, 40, 40],
      [TENANT_B, true, 6, 6],
    ]);
  });

  it('finds records cut off the end of a chain, which the chain alone cannot show', async () => {
    const records = await audit().records(TENANT_B);
    const last = records.slice(-2);
    await store.query(`DELETE FROM ${q('audit_subjects')} WHERE ${q('auditId')} IN (?, ?)`, last.map((r) => r.id));
    await store.query(`DELETE FROM ${q('audit_records')} WHERE ${q('id')} IN (?, ?)`, last.map((r) => r.id));
    expect((await audit().verify(TENANT_B)).ok).toBe(true);
    const report = (await verifyAllChains(audit(), anchors.latest())).find((r) => r.tenantId === TENANT_B)!;
    expect(report).toMatchObject({ ok: false, brokenAt: 5, reason: 'chain is shorter than its anchor' });
    expect(describeReport(report)).toMatch(/BROKEN.*shorter than its anchor at sequence 5/);
  });

  it('finds a whole chain deleted, and a chain rewritten even with the key', async () => {
    const tenantB = await audit().records(TENANT_B);
    await store.query(`DELETE FROM ${q('audit_subjects')} WHERE ${q('tenantId')} = ?`, [TENANT_B]);
    await store.query(`DELETE FROM ${q('audit_records')} WHERE ${q('tenantId')} = ?`, [TENANT_B]);
    const missing = (await verifyAllChains(audit(), anchors.latest())).find((r) => r.tenantId === TENANT_B)!;
    expect(missing).toMatchObject({ ok: false, records: 0, reason: 'chain is missing' });

    // The key holder rebuilds the chain with other content: valid as a chain, but not what was anchored.
    for (let i = 0; i < 6; i += 1) await audit().append({ ...entry(TENANT_B, i), detail: '{}' }, []);
    const rewritten = (await verifyAllChains(audit(), anchors.latest())).find((r) => r.tenantId === TENANT_B)!;
    expect(rewritten).toMatchObject({ ok: false, brokenAt: 6, reason: 'record differs from its anchor' });
    expect(tenantB).toHaveLength(4);
  });

  it('runs as a command that names the first broken link and exits 1', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, AUDIT_ANCHOR_FILE: path.join(anchorDir, 'anchors.jsonl'), NODE_ENV: 'development', LOG_LEVEL: 'silent' };
    const failed = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain(`ok      tenant ${TENANT_A}: 40 records, anchored at 40`);
    expect(failed?.stdout).toMatch(new RegExp(`BROKEN  tenant ${TENANT_B}: record differs from its anchor at sequence 6`));
  }, 60_000);
});

describe('consent records', () => {
  it('append from two writers at once without losing one', async () => {
    const stores = [new ConsentStore(store), new ConsentStore(otherWriter)];
    const subject = { type: 'CONTACT' as const, id: subjectId(7) };
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stores[i % 2]!.record({ tenantId: TENANT_A, subjectType: subject.type, subjectId: subject.id, purpose: 'MARKETING', status: i % 2 ? 'GRANTED' : 'WITHDRAWN', basis: 'CONSENT', source: 'test', recordedBy: ACTOR }),
      ),
    );
    const history = await new ConsentStore(store).history(TENANT_A, subject);
    expect(history).toHaveLength(30);
    expect(new Set(history.map((r) => r.sequence)).size).toBe(30);
  });
});
