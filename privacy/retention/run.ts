import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { DataSource } from 'typeorm';
import { childLogger } from '../../platform/logger';
import { callRights } from '../rights/client';
import type { PersonRef, RightsAnswers } from '../rights/contract';
import { DAY_MS } from '../rights/lifecycle';
import { PrivacyRequestStore } from '../rights/requests';
import { AuditLog } from '../store/audit';
import { EXPIRY, ProcessingControlStore } from '../store/controls';
import { JobLeases } from '../store/leases';

/** The job's name in job_leases. */
export const RETENTION_JOB = 'retention';
/** The actor of a retention run's audit records: the product itself, no person. */
export const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';

/** What one run removed in one entity of one subgraph (counts only). */
export interface EntityRetention {
  subgraph: string;
  entity: string;
  /** Rows deleted for their age, or with a purged account. */
  deleted: number;
  /** Rows kept anonymized with a purged account (call logs under a legal obligation). */
  anonymized: number;
  /** Rows of others that lost their link to a purged account (contacts it owned). */
  unlinked: number;
  /** Suspended accounts closed. */
  closed: number;
  /** Queued deletions of stored objects marked done. */
  drained: number;
}

export interface TenantRetention {
  tenantId: string;
  /** Accounts purged after their expiry period. */
  accountsPurged: number;
  /** Access and export documents deleted from the privacy store after their period. */
  exportsExpired: number;
  entities: EntityRetention[];
}

export type RetentionReport =
  | { ran: true; runId: string; now: string; tenants: TenantRetention[] }
  /** Another runner held the job (or, for a schedule, ran it within the interval): nothing done. */
  | { ran: false; reason: 'HELD_ELSEWHERE' };

export interface RetentionOptions {
  /** Every subgraph's URL (any URL on its host, e.g. its /graphql URL), by name. */
  subgraphUrls: Record<string, string>;
  /** The internal secret the rights calls are signed with. */
  internalSecret: string;
  /** The run's clock (injectable: tests move it). */
  now?: () => Date;
  /** The shared privacy store: the job's lease and the audit log. */
  store: DataSource;
  /** HMAC key of the audit chain (AUDIT_KEY). */
  auditKey: string;
  /** Rows per retention round and per erasure page (default 1,000: no transaction holds more). */
  limit?: number;
  /** Who claims the job (default host, process and a random part). */
  holder?: string;
  /** How long the lease holds between renewals (default 10 minutes). */
  leaseMs?: number;
  /** For a schedule: do not run when the job completed less than this long ago. */
  notCompletedWithinMs?: number;
  /** Days an access or export document is held after its request completed (default 30, `EXPORT_RETENTION_DAYS`). */
  exportRetentionDays?: number;
}

const log = childLogger('retention');

/** A run stops rather than loop for ever on a round that keeps reporting more (a store that does not delete). */
const MAX_ROUNDS = 100_000;

/** How long an export document is held after completion when nothing is configured. */
export const DEFAULT_EXPORT_RETENTION_DAYS = 30;

const counter = (subgraph: string, entity: string): EntityRetention => ({ subgraph, entity, deleted: 0, anonymized: 0, unlinked: 0, closed: 0, drained: 0 });

/**
 * One retention run: every subgraph applies its inventory's retention in every tenant it holds
 * rows of, round after round until nothing is left to do (each round a bounded transaction per
 * entity); accounts whose expiry period has run out are purged as erasure does, in every subgraph
 * (the one that reported them last, so an interrupted purge is found and finished by the next
 * run). Each tenant's counts go to the audit log as one RETENTION_RUN record. Idempotent: a second
 * run at the same time removes nothing more. Only one runner at a time: the job's lease in the
 * privacy store (privacy/store/leases.ts).
 */
export async function runRetention(options: RetentionOptions): Promise<RetentionReport> {
  const clock = options.now ?? (() => new Date());
  const leases = new JobLeases(options.store);
  const holder = options.holder ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const started = clock();
  if (!(await leases.claim(RETENTION_JOB, holder, started, { leaseMs, notCompletedWithinMs: options.notCompletedWithinMs }))) {
    log.info('retention run skipped: another runner holds it or ran it within the interval');
    return { ran: false, reason: 'HELD_ELSEWHERE' };
  }
  try {
    const report = await retainEverything(options, started, async () => {
      if (!(await leases.renew(RETENTION_JOB, holder, clock(), leaseMs))) throw new Error('the retention lease was lost');
    });
    await leases.release(RETENTION_JOB, holder, started);
    return report;
  } catch (error) {
    await leases.release(RETENTION_JOB, holder).catch(() => undefined);
    throw error;
  }
}

async function retainEverything(options: RetentionOptions, now: Date, renew: () => Promise<void>): Promise<RetentionReport & { ran: true }> {
  const limit = options.limit ?? 1000;
  const runId = randomUUID();
  const call = <C extends Parameters<typeof callRights>[2]>(subgraph: string, body: C) => callRights(options.subgraphUrls[subgraph]!, options.internalSecret, body);
  const subgraphs = Object.keys(options.subgraphUrls).sort();
  const described = new Map<string, RightsAnswers['describe']>();
  const tenants = new Set<string>();
  for (const subgraph of subgraphs) {
    described.set(subgraph, await call(subgraph, { op: 'describe' }));
    for (const tenantId of (await call(subgraph, { op: 'tenants' })).tenantIds) tenants.add(tenantId);
  }
  const audit = new AuditLog(options.store, options.auditKey);
  const requests = new PrivacyRequestStore(options.store);
  const controls = new ProcessingControlStore(options.store);
  const report: TenantRetention[] = [];
  for (const tenantId of [...tenants].sort()) {
    await renew();
    const counts = new Map<string, EntityRetention>();
    const countOf = (subgraph: string, entity: string) => counts.get(`${subgraph}:${entity}`) ?? counts.set(`${subgraph}:${entity}`, counter(subgraph, entity)).get(`${subgraph}:${entity}`)!;
    let accountsPurged = 0;
    // Every round reports the closed accounts again: each one's expiry is recorded once per run.
    const recorded = new Set<string>();
    for (const subgraph of subgraphs) {
      for (let round = 0; ; round += 1) {
        if (round >= MAX_ROUNDS) throw new Error(`retention in ${subgraph} did not finish`);
        const answer = await call(subgraph, { op: 'retain', tenantId, now: now.toISOString(), limit });
        for (const entity of answer.entities) {
          const total = countOf(subgraph, entity.entity);
          total.deleted += entity.deleted;
          total.closed += entity.closed;
          total.drained += entity.drained;
        }
        // Each closed account's expiry as a control every subgraph reads (idempotent; a closing the
        // product missed, or one this round made, is recorded here), before any purge lifts it.
        for (const person of answer.expired ?? []) {
          if (recorded.has(person.id)) continue;
          await controls.set(tenantId, person, EXPIRY, { requestId: runId, recordedBy: SYSTEM_ACTOR }, now);
          recorded.add(person.id);
        }
        for (const person of answer.due) {
          await purge(person, subgraph);
          // Nothing of the person is left to protect: the expiry goes with them.
          await controls.lift(tenantId, person, EXPIRY);
          accountsPurged += 1;
        }
        if (!answer.more && answer.due.length < limit) break;
      }
    }
    // Copies of people's data that exports made: held for a period after completion, then deleted.
    let exportsExpired = 0;
    const completedBefore = now.getTime() - (options.exportRetentionDays ?? DEFAULT_EXPORT_RETENTION_DAYS) * DAY_MS;
    for (;;) {
      const expired = await requests.expireExports(tenantId, completedBefore, limit);
      exportsExpired += expired;
      if (expired < limit) break;
    }
    const entities = [...counts.values()];
    await audit.append(
      {
        tenantId,
        actorId: SYSTEM_ACTOR,
        actorRole: 'SYSTEM',
        purpose: 'LEGAL',
        ticketId: null,
        partnerClientId: null,
        requestId: runId,
        correlationId: null,
        service: 'retention',
        action: 'RETENTION_RUN',
        detail: JSON.stringify({ now: now.toISOString(), accountsPurged, exportsExpired, entities: Object.fromEntries(entities.map((e) => [`${e.subgraph}.${e.entity}`, nonZero(e)])) }),
      },
      [],
      now,
    );
    report.push({ tenantId, accountsPurged, exportsExpired, entities });
    log.info({ tenantId, accountsPurged }, 'retention applied');

    /** Erases a person as an erasure request does: every subgraph's entities page by page, the reporting subgraph last. */
    async function purge(person: PersonRef, reporter: string): Promise<void> {
      for (const subgraph of [...subgraphs.filter((s) => s !== reporter), reporter]) {
        for (const entity of described.get(subgraph)!.entities) {
          if (entity.persons && !entity.persons.includes(person.type)) continue;
          let cursor: string | null = null;
          do {
            const page: RightsAnswers['erase'] = await call(subgraph, { op: 'erase', tenantId, subject: person, entity: entity.entity, cursor, limit });
            const total = countOf(subgraph, entity.entity);
            total.deleted += page.counts.deleted;
            total.anonymized += page.counts.anonymized;
            total.unlinked += page.counts.unlinked ?? 0;
            cursor = page.next;
          } while (cursor);
        }
      }
    }
  }
  return { ran: true, runId, now: now.toISOString(), tenants: report };
}

/** An entity's counts without its zeros: the audit detail says what was removed, compactly. */
function nonZero(e: EntityRetention): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['deleted', 'anonymized', 'unlinked', 'closed', 'drained'] as const) if (e[key] > 0) out[key] = e[key];
  return out;
}
