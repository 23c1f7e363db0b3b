import { randomUUID } from 'node:crypto';
import { childLogger } from '../../platform/logger';
import type { ObjectablePurpose } from '../policy';
import type { AuditLog } from '../store/audit';
import type { ConsentStore } from '../store/consents';
import type { ProcessingControl, ProcessingControlStore } from '../store/controls';
import type { PartnerRegistry } from '../store/partners';
import type { PrivacyRequestRow, PrivacyRequestStepRow } from '../store/rights-entities';
import type { SuppressionList, SuppressedKind } from '../store/suppression';
import { AuditQueries } from './audit-queries';
import type { ErasureCounts, PersonRef } from './contract';
import { assembleExport, disclosedFields, EXPORT_SCHEMA_VERSION, PRIVACY_PART, sha256, type PrivacySummary } from './export-document';
import { entitySteps } from './plan';
import type { ClaimedStep, PrivacyRequestStore } from './requests';
import { auditRights } from './rights-audit';
import { RightsCallError, type RightsTransport } from './transport';

const log = childLogger('rights-worker');

export interface RightsWorkerDeps {
  requests: PrivacyRequestStore;
  transport: RightsTransport;
  audit: AuditLog;
  controls: ProcessingControlStore;
  consents: ConsentStore;
  partners: PartnerRegistry;
  suppression: SuppressionList;
}

export interface RightsWorkerOptions {
  /** Names this worker in leases (default: a random id). */
  id?: string;
  /** How long a claimed step stays this worker's without progress (renewed after every page). */
  leaseMs?: number;
  /** Pause when there is nothing to do. */
  pollMs?: number;
  /** Rows per contract page. */
  pageSize?: number;
  /** Failures of one step before it is FAILED (and waits for the DPO to resume the request). */
  maxAttempts?: number;
  /** First back-off after a failure; doubles with each attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** Thrown when a write of progress finds the lease taken over: stop at once, write nothing more. */
class LeaseLost extends Error {}
/** Thrown between pages when the worker is asked to stop: the step goes back to PENDING at its saved cursor. */
class Stopping extends Error {}

const zeroCounts = (entity: string): ErasureCounts => ({ entity, deleted: 0, anonymized: 0, values: 0, objects: 0 });
const subjectOf = (request: PrivacyRequestRow): PersonRef => ({ type: request.subjectType, id: request.subjectId });
const parse = <T>(json: string | null, fallback: T): T => (json ? (JSON.parse(json) as T) : fallback);

/**
 * Runs the steps of rights requests, one at a time, each under a lease. Every page's progress is
 * saved before the next page is asked for, so a worker stopped or killed at any point leaves the
 * step at its last saved page; when its lease runs out any worker takes it over from there. A
 * failure (a subgraph down) keeps the step with its attempts and a back-off, and the request stays
 * IN_PROGRESS until every step is DONE: never silently half-done.
 */
export class RightsWorker {
  readonly id: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly pageSize: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly auditQueries: AuditQueries;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly deps: RightsWorkerDeps,
    options: RightsWorkerOptions = {},
  ) {
    this.id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.pageSize = options.pageSize ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.auditQueries = new AuditQueries(deps.requests.store);
  }

  /** Claims and runs one step; false when none was claimable. */
  async runOnce(): Promise<boolean> {
    const claimed = await this.deps.requests.claim(`${this.id}:${randomUUID().slice(0, 8)}`, this.leaseMs);
    if (!claimed) return false;
    await this.run(claimed);
    return true;
  }

  /** Runs steps until none is claimable now (scripts and tests). */
  async drain(maxSteps = 10_000): Promise<number> {
    let ran = 0;
    while (ran < maxSteps && !this.stopping && (await this.runOnce())) ran += 1;
    return ran;
  }

  /** Runs in the background until stop(). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let ran = false;
        try {
          ran = await this.runOnce();
        } catch (error) {
          log.error({ worker: this.id, err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } }, 'rights worker: claim failed');
        }
        if (!ran && !this.stopping) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, this.pollMs).unref()));
      }
    })();
  }

  /** Graceful: the step in hand stops after its current page (its cursor saved), then the loop ends. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(claimed: ClaimedStep): Promise<void> {
    const { step } = claimed;
    const request = await this.deps.requests.get(step.requestId);
    if (!request || request.status !== 'IN_PROGRESS') {
      await this.deps.requests.release(claimed, { status: 'DONE', counts: JSON.stringify({ skipped: request?.status ?? 'MISSING' }) });
      return;
    }
    try {
      const counts = await this.execute(claimed, request);
      if (!(await this.deps.requests.release(claimed, { status: 'DONE', counts: counts === undefined ? step.counts : JSON.stringify(counts), lastError: null }))) return;
      await auditRights(this.deps.audit, request, 'RIGHTS_STEP_DONE', { step: step.action, subgraph: step.subgraph, entity: step.entity || undefined, counts: publicCounts(step.action, counts) });
      await this.completeIfDone(request);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (error instanceof Stopping) {
        await this.deps.requests.release(claimed, { status: 'PENDING' });
        return;
      }
      const code = error instanceof RightsCallError ? error.code : 'INTERNAL';
      if (!(error instanceof RightsCallError)) log.error({ worker: this.id, step: step.id, err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } }, 'rights step failed');
      const attempts = step.attempts + 1;
      const failed = attempts >= this.maxAttempts;
      const backoff = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempts - 1));
      if (!(await this.deps.requests.release(claimed, { status: failed ? 'FAILED' : 'PENDING', attempts, lastError: code, notBefore: Date.now() + backoff }))) return;
      await auditRights(this.deps.audit, request, 'RIGHTS_STEP_FAILED', { step: step.action, subgraph: step.subgraph, entity: step.entity || undefined, error: code, attempts, final: failed });
    }
  }

  private async completeIfDone(request: PrivacyRequestRow): Promise<void> {
    if ((await this.deps.requests.unfinished(request.id)) > 0) return;
    const now = Date.now();
    if (await this.deps.requests.transition(request.id, 'IN_PROGRESS', 'COMPLETED', { completedAt: now }, now)) {
      await auditRights(this.deps.audit, request, 'RIGHTS_TRANSITION', { transition: 'COMPLETE', from: 'IN_PROGRESS', to: 'COMPLETED' });
    }
  }

  /** Saves progress or gives up the step when its lease was taken over. */
  private async progress(claimed: ClaimedStep, patch: Partial<PrivacyRequestStepRow>): Promise<void> {
    if (!(await this.deps.requests.progress(claimed, patch, this.leaseMs))) throw new LeaseLost();
  }

  private async execute(claimed: ClaimedStep, request: PrivacyRequestRow): Promise<unknown> {
    const { step } = claimed;
    const { transport, requests } = this.deps;
    const tenantId = request.tenantId;
    const subject = subjectOf(request);
    switch (step.action) {
      case 'DESCRIBE': {
        const answer = await transport.call(step.subgraph, { op: 'describe' });
        await requests.insertSteps(request, entitySteps(request, step.subgraph, answer.entities));
        return { entities: answer.entities.map((e) => e.entity) };
      }
      case 'EXPORT': {
        let cursor = step.cursor;
        let page = step.pages;
        let rows = parse<{ rows?: number }>(step.counts, {}).rows ?? 0;
        for (;;) {
          const answer = await transport.call(step.subgraph, { op: 'export', tenantId, subject, entity: step.entity, cursor, limit: this.pageSize });
          await requests.savePart({ requestId: request.id, subgraph: step.subgraph, entity: step.entity, page, rows: JSON.stringify(answer.rows) });
          page += 1;
          rows += answer.rows.length;
          cursor = answer.next;
          if (!cursor) return { rows };
          await this.progress(claimed, { cursor, pages: page, counts: JSON.stringify({ rows }) });
          if (this.stopping) throw new Stopping();
        }
      }
      case 'ERASE': {
        let cursor = step.cursor;
        let page = step.pages;
        const total = parse<ErasureCounts>(step.counts, zeroCounts(step.entity));
        for (;;) {
          const answer = await transport.call(step.subgraph, { op: 'erase', tenantId, subject, entity: step.entity, cursor, limit: this.pageSize });
          for (const key of ['deleted', 'anonymized', 'values', 'objects'] as const) total[key] += answer.counts[key];
          page += 1;
          cursor = answer.next;
          if (!cursor) return total;
          await this.progress(claimed, { cursor, pages: page, counts: JSON.stringify(total) });
          if (this.stopping) throw new Stopping();
        }
      }
      case 'FINGERPRINTS': {
        const answer = await transport.call(step.subgraph, { op: 'fingerprints', tenantId, subject });
        return { fingerprints: answer.fingerprints };
      }
      case 'DRY_RUN': {
        const answer = await transport.call(step.subgraph, { op: 'dryRun', tenantId, subject });
        return { entities: answer.entities };
      }
      case 'RECTIFY': {
        const fields = parse<Record<string, string | null>>(request.corrections, {});
        const answer = await transport.call(step.subgraph, { op: 'rectify', tenantId, subject, fields });
        return { changed: answer.changed };
      }
      case 'CONTROL': {
        const control: ProcessingControl = request.type === 'OBJECT' ? { kind: 'OBJECTION', purpose: request.purpose as ObjectablePurpose } : { kind: 'RESTRICTION' };
        if (request.type === 'LIFT_RESTRICTION') return { lifted: await this.deps.controls.lift(tenantId, subject, control), control: control.kind };
        await this.deps.controls.set(tenantId, subject, control, { requestId: request.id, recordedBy: request.executedBy ?? request.requestedBy });
        return { set: true, control: control.kind, ...(control.kind === 'OBJECTION' ? { purpose: control.purpose } : {}) };
      }
      case 'SUPPRESS': {
        const identifiers = parse<{ identifiers?: { kind: SuppressedKind; fingerprint: string }[] }>(request.verification, {}).identifiers ?? [];
        await this.deps.suppression.add(tenantId, identifiers, request.id);
        return { suppressed: identifiers.map((i) => i.kind) };
      }
      case 'FINALIZE':
        return this.finalize(request);
    }
  }

  private async finalize(request: PrivacyRequestRow): Promise<unknown> {
    const { requests } = this.deps;
    const subject = subjectOf(request);
    if (request.type === 'ACCESS' || request.type === 'EXPORT') {
      await requests.savePart({ requestId: request.id, ...PRIVACY_PART, page: 0, rows: JSON.stringify(await this.summary(request)) });
      const document = assembleExport(request, await requests.parts(request.id));
      const rows = Object.fromEntries((await requests.stepsByAction(request.id, 'EXPORT')).map((s) => [`${s.subgraph}.${s.entity}`, parse<{ rows?: number }>(s.counts, {}).rows ?? 0]));
      const result = { schemaVersion: EXPORT_SCHEMA_VERSION, sha256: sha256(document), bytes: Buffer.byteLength(document), rows };
      await requests.update(request.id, { result: JSON.stringify(result) });
      return result;
    }
    if (request.type === 'ERASE') {
      const fingerprints = new Set<string>();
      for (const s of await requests.stepsByAction(request.id, 'FINGERPRINTS')) for (const f of parse<{ fingerprints?: string[] }>(s.counts, {}).fingerprints ?? []) fingerprints.add(f);
      const dryRun = (await requests.stepsByAction(request.id, 'DRY_RUN')).flatMap((s) => (parse<{ entities?: ErasureCounts[] }>(s.counts, {}).entities ?? []).map((e) => ({ subgraph: s.subgraph, ...e })));
      const erased = (await requests.stepsByAction(request.id, 'ERASE')).map((s) => ({ subgraph: s.subgraph, ...parse<ErasureCounts>(s.counts, zeroCounts(s.entity)) }));
      // Copies of the person's data this store made for earlier exports go with the rest.
      const earlier = await requests.list({ tenantId: request.tenantId, subject, limit: 10_000 });
      for (const other of earlier) await requests.store.getRepository('PrivacyExportPart').delete({ requestId: other.id });
      const result = { dryRun, erased, fingerprints: fingerprints.size };
      await requests.update(request.id, { fingerprints: JSON.stringify([...fingerprints].sort()), result: JSON.stringify(result) });
      // The fingerprints are kept with the request only.
      for (const s of await requests.stepsByAction(request.id, 'FINGERPRINTS')) await requests.store.getRepository('PrivacyRequestStep').update({ id: s.id }, { counts: JSON.stringify({ fingerprints: parse<{ fingerprints?: string[] }>(s.counts, {}).fingerprints?.length ?? 0 }) });
      return result;
    }
    if (request.type === 'RECTIFY') {
      const changed = (await requests.stepsByAction(request.id, 'RECTIFY')).flatMap((s) => (parse<{ changed?: unknown[] }>(s.counts, {}).changed ?? []).map((c) => ({ subgraph: s.subgraph, ...(c as object) })));
      // The corrected values now live where they belong; the request keeps only their hashes.
      const result = { changed };
      await requests.update(request.id, { corrections: null, result: JSON.stringify(result) });
      return { changed: changed.length };
    }
    const result = { control: request.type, ...(request.purpose ? { purpose: request.purpose } : {}) };
    await requests.update(request.id, { result: JSON.stringify(result) });
    return result;
  }

  /** What the privacy store holds about the subject, for the export. */
  private async summary(request: PrivacyRequestRow): Promise<PrivacySummary> {
    const subject = subjectOf(request);
    const consents = await this.deps.consents.history(request.tenantId, subject);
    const controls = await this.deps.controls.of(request.tenantId, subject);
    const installations = await this.deps.partners.activeInstallations(request.tenantId);
    const recipients = [];
    for (const installation of installations) {
      const app = await this.deps.partners.app(installation.clientId);
      recipients.push({ clientId: installation.clientId, name: app?.name ?? null, kind: app?.kind ?? null, scopes: installation.scopes.split(',').filter(Boolean), installedAt: installation.installedAt.toISOString() });
    }
    const disclosures = await this.auditQueries.disclosuresAbout(request.tenantId, subject);
    return {
      generatedAt: new Date().toISOString(),
      consents: consents.map((c) => ({ purpose: c.purpose, status: c.status, basis: c.basis, source: c.source, recordedAt: c.recordedAt.toISOString(), recordedBy: c.recordedBy })),
      processingControls: controls.map((c) => (c.kind === 'OBJECTION' ? { kind: c.kind, purpose: c.purpose } : { kind: c.kind })),
      recipients,
      accessLog: disclosures.map((d) => ({ at: d.recordedAt.toISOString(), actorId: d.actorId, actorRole: d.actorRole, purpose: d.purpose, service: d.service, fields: disclosedFields(d) })),
    };
  }
}

/** What a step's audit record says: counts and names, never values or fingerprints. */
function publicCounts(action: PrivacyRequestStepRow['action'], counts: unknown): unknown {
  if (action === 'FINGERPRINTS') return { fingerprints: (counts as { fingerprints?: unknown[] })?.fingerprints?.length ?? 0 };
  return counts;
}
