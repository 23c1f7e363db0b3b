import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { inTransaction, isRetryableWriteError } from '../../platform/database';
import type { ConsentSubject } from '../store/consents';
import {
  PrivacyExportPartEntity,
  PrivacyRequestEntity,
  PrivacyRequestStepEntity,
  type PrivacyExportPartRow,
  type PrivacyRequestRow,
  type PrivacyRequestStepRow,
  type RequestStatus,
  type StepAction,
} from '../store/rights-entities';

export type NewStep = Pick<PrivacyRequestStepRow, 'phase' | 'subgraph' | 'entity' | 'action'>;

/** A claimed step: its row, and the lease token every write of its progress must present. */
export interface ClaimedStep {
  step: PrivacyRequestStepRow;
  owner: string;
}

export interface RequestListFilter {
  tenantId?: string;
  status?: RequestStatus;
  overdueAt?: number;
  subject?: ConsentSubject;
  /** Keyset: requests received after this one (receivedAt, id). */
  after?: { receivedAt: number; id: string };
  limit: number;
}

const isDuplicate = (error: unknown): boolean => /ER_DUP_ENTRY|SQLITE_CONSTRAINT/.test(String((error as { driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code ?? ''));

/**
 * Rights requests and their steps in the privacy store. The steps are the worker's durable queue:
 * a step is claimed under a lease (owner + expiry); every write of its progress is conditional on
 * still holding that lease, so a worker that lost its lease (stopped, too slow) can never overwrite
 * the work of the one that took the step over.
 */
export class PrivacyRequestStore {
  private readonly q: (name: string) => string;
  private readonly mysql: boolean;

  constructor(readonly store: DataSource) {
    this.q = (name) => store.driver.escape(name);
    this.mysql = store.options.type === 'mysql';
  }

  private get requests() {
    return this.store.getRepository(PrivacyRequestEntity);
  }
  private get steps() {
    return this.store.getRepository(PrivacyRequestStepEntity);
  }

  async create(row: Omit<PrivacyRequestRow, 'id'>): Promise<PrivacyRequestRow> {
    const created = { ...row, id: randomUUID() };
    await this.requests.insert(created);
    return created;
  }

  get(id: string): Promise<PrivacyRequestRow | null> {
    return this.requests.findOne({ where: { id } });
  }

  /** Requests about one subject received since a time (the excessive-request rule). */
  countSince(tenantId: string, subject: ConsentSubject, since: number): Promise<number> {
    return this.requests
      .createQueryBuilder('r')
      .where('r.tenantId = :tenantId AND r.subjectId = :id AND r.subjectType = :type AND r.receivedAt >= :since', { tenantId, id: subject.id, type: subject.type, since })
      .getCount();
  }

  /** One page (limit + 1 rows, for look-ahead) ordered by receipt. */
  list(filter: RequestListFilter): Promise<PrivacyRequestRow[]> {
    const qb = this.requests.createQueryBuilder('r');
    if (filter.tenantId) qb.andWhere('r.tenantId = :tenantId', { tenantId: filter.tenantId });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.subject) qb.andWhere('r.subjectType = :st AND r.subjectId = :sid', { st: filter.subject.type, sid: filter.subject.id });
    if (filter.overdueAt !== undefined) qb.andWhere("r.dueAt < :now AND r.status NOT IN ('COMPLETED', 'REJECTED')", { now: filter.overdueAt });
    if (filter.after) qb.andWhere('(r.receivedAt > :ar OR (r.receivedAt = :ar AND r.id > :aid))', { ar: filter.after.receivedAt, aid: filter.after.id });
    return qb.orderBy('r.receivedAt', 'ASC').addOrderBy('r.id', 'ASC').take(filter.limit + 1).getMany();
  }

  /**
   * Moves a request from one status to another only if it is still in `from` (two callers racing
   * for the same transition: one wins, the other gets false). `patch` is written with it.
   */
  async transition(id: string, from: RequestStatus, to: RequestStatus, patch: Partial<PrivacyRequestRow> = {}, now = Date.now(), tx?: EntityManager): Promise<boolean> {
    const repo = (tx ?? this.store.manager).getRepository(PrivacyRequestEntity);
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ ...patch, status: to, updatedAt: now })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async update(id: string, patch: Partial<PrivacyRequestRow>, now = Date.now()): Promise<void> {
    await this.requests.update({ id }, { ...patch, updatedAt: now });
  }

  /** Moves an APPROVED request to IN_PROGRESS and inserts its first steps, in one transaction. */
  startExecution(request: PrivacyRequestRow, executedBy: string, steps: NewStep[], now = Date.now()): Promise<boolean> {
    return inTransaction(this.store, async (tx) => {
      if (!(await this.transition(request.id, 'APPROVED', 'IN_PROGRESS', { executedBy }, now, tx))) return false;
      await this.insertSteps(request, steps, now, tx);
      return true;
    });
  }

  /** Inserts steps; one already there (a DESCRIBE run twice) is left as it is. */
  async insertSteps(request: Pick<PrivacyRequestRow, 'id' | 'tenantId'>, steps: NewStep[], now = Date.now(), tx?: EntityManager): Promise<void> {
    const repo = (tx ?? this.store.manager).getRepository(PrivacyRequestStepEntity);
    for (const step of steps) {
      const existing = await repo.findOne({ where: { requestId: request.id, subgraph: step.subgraph, entity: step.entity, action: step.action } });
      if (existing) continue;
      const row: PrivacyRequestStepRow = {
        ...step,
        id: randomUUID(),
        requestId: request.id,
        tenantId: request.tenantId,
        status: 'PENDING',
        cursor: null,
        pages: 0,
        attempts: 0,
        lastError: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        notBefore: 0,
        counts: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await repo.insert(row);
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
    }
  }

  stepsOf(requestId: string): Promise<PrivacyRequestStepRow[]> {
    return this.steps.find({ where: { requestId }, order: { phase: 'ASC', createdAt: 'ASC', subgraph: 'ASC', entity: 'ASC' } });
  }

  stepsByAction(requestId: string, action: StepAction): Promise<PrivacyRequestStepRow[]> {
    return this.steps.find({ where: { requestId, action }, order: { subgraph: 'ASC', entity: 'ASC' } });
  }

  /** The WHERE of a claimable step: pending (or running under an expired lease), due, and every earlier phase of its request done. */
  private claimable(alias: string): string {
    const q = this.q;
    const a = (c: string) => `${alias}.${q(c)}`;
    return (
      `((${a('status')} = 'PENDING' AND (${a('leaseExpiresAt')} IS NULL OR ${a('leaseExpiresAt')} < ?)) OR (${a('status')} = 'RUNNING' AND ${a('leaseExpiresAt')} < ?))` +
      ` AND ${a('notBefore')} <= ?` +
      ` AND NOT EXISTS (SELECT 1 FROM ${q('privacy_request_steps')} e WHERE e.${q('requestId')} = ${a('requestId')} AND e.${q('phase')} < ${a('phase')} AND e.${q('status')} <> 'DONE')`
    );
  }

  /**
   * Claims one step for `owner` until now + leaseMs. MySQL/MariaDB: the candidate row is locked
   * with FOR UPDATE SKIP LOCKED inside a transaction (other workers skip it at once rather than
   * wait), then leased. SQLite: one conditional UPDATE of a candidate that still matches the claim
   * condition, which the file's single writer makes atomic; a lost race tries the next candidate.
   */
  async claim(owner: string, leaseMs: number, now = Date.now()): Promise<ClaimedStep | null> {
    const q = this.q;
    const table = q('privacy_request_steps');
    const order = `ORDER BY s.${q('phase')} ASC, s.${q('createdAt')} ASC, s.${q('id')} ASC`;
    const lease = { status: 'RUNNING' as const, leaseOwner: owner, leaseExpiresAt: now + leaseMs, updatedAt: now };
    if (this.mysql) {
      // Candidates are found without locks (the phase condition reads other rows, which a locking
      // read would lock too and deadlock on); the lock is then taken on one candidate row only,
      // skipping rows another worker holds, and the claim condition is checked again under it.
      const candidates: { id: string }[] = await this.store.query(`SELECT s.${q('id')} AS id FROM ${table} s WHERE ${this.claimable('s')} ${order} LIMIT 8`, [now, now, now]);
      if (candidates.length === 0) return null;
      const ids = candidates.map((c) => c.id);
      const leaseFree = `((${q('status')} = 'PENDING' AND (${q('leaseExpiresAt')} IS NULL OR ${q('leaseExpiresAt')} < ?)) OR (${q('status')} = 'RUNNING' AND ${q('leaseExpiresAt')} < ?))`;
      let id: string | null = null;
      try {
        id = await this.store.transaction(async (tx) => {
          const rows: { id: string }[] = await tx.query(
            `SELECT ${q('id')} AS id FROM ${table} WHERE ${q('id')} IN (${ids.map(() => '?').join(', ')}) AND ${leaseFree} ORDER BY ${q('phase')}, ${q('createdAt')}, ${q('id')} LIMIT 1 FOR UPDATE SKIP LOCKED`,
            [...ids, now, now],
          );
          if (rows.length === 0) return null;
          await tx.getRepository(PrivacyRequestStepEntity).update({ id: rows[0]!.id }, lease);
          return rows[0]!.id;
        });
      } catch (error) {
        if (isRetryableWriteError(error)) return null;
        throw error;
      }
      if (!id) return null;
      const step = await this.steps.findOne({ where: { id } });
      return step ? { step, owner } : null;
    }
    for (let tries = 0; tries < 5; tries += 1) {
      const rows: { id: string }[] = await this.store.query(`SELECT s.${q('id')} AS id FROM ${table} s WHERE ${this.claimable('s')} ${order} LIMIT 1`, [now, now, now]);
      if (rows.length === 0) return null;
      const result = await this.store
        .createQueryBuilder()
        .update(PrivacyRequestStepEntity)
        .set(lease)
        .where(`id = :id AND ((status = 'PENDING' AND (leaseExpiresAt IS NULL OR leaseExpiresAt < :now)) OR (status = 'RUNNING' AND leaseExpiresAt < :now))`, { id: rows[0]!.id, now })
        .execute();
      if ((result.affected ?? 0) === 1) {
        const step = await this.steps.findOne({ where: { id: rows[0]!.id } });
        return step ? { step, owner } : null;
      }
    }
    return null;
  }

  /** Writes progress of a claimed step; false when the lease was lost (the caller must stop at once). */
  async progress(claimed: ClaimedStep, patch: Partial<PrivacyRequestStepRow>, leaseMs: number, now = Date.now()): Promise<boolean> {
    const result = await this.store
      .createQueryBuilder()
      .update(PrivacyRequestStepEntity)
      .set({ ...patch, leaseExpiresAt: now + leaseMs, updatedAt: now })
      .where("id = :id AND leaseOwner = :owner AND status = 'RUNNING'", { id: claimed.step.id, owner: claimed.owner })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Ends a claimed step: DONE, or back to PENDING (retry after notBefore) or FAILED. False when the lease was lost. */
  async release(claimed: ClaimedStep, patch: Partial<PrivacyRequestStepRow> & { status: PrivacyRequestStepRow['status'] }, now = Date.now()): Promise<boolean> {
    const result = await this.store
      .createQueryBuilder()
      .update(PrivacyRequestStepEntity)
      .set({ ...patch, leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
      .where("id = :id AND leaseOwner = :owner AND status = 'RUNNING'", { id: claimed.step.id, owner: claimed.owner })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Steps of a request not yet DONE. */
  unfinished(requestId: string): Promise<number> {
    return this.steps.createQueryBuilder('s').where("s.requestId = :requestId AND s.status <> 'DONE'", { requestId }).getCount();
  }

  /** FAILED steps of a request back to PENDING (the DPO resumes a request once the cause is fixed). */
  async resume(requestId: string, now = Date.now()): Promise<number> {
    const result = await this.store
      .createQueryBuilder()
      .update(PrivacyRequestStepEntity)
      .set({ status: 'PENDING', attempts: 0, notBefore: now, updatedAt: now })
      .where("requestId = :requestId AND status = 'FAILED'", { requestId })
      .execute();
    return result.affected ?? 0;
  }

  async savePart(part: Omit<PrivacyExportPartRow, 'id'>): Promise<void> {
    try {
      await this.store.getRepository(PrivacyExportPartEntity).insert({ ...part, id: randomUUID() });
    } catch (error) {
      // The same page saved again by a worker that took the step over after the first lost its lease.
      if (!isDuplicate(error)) throw error;
      await this.store.getRepository(PrivacyExportPartEntity).update({ requestId: part.requestId, subgraph: part.subgraph, entity: part.entity, page: part.page }, { rows: part.rows });
    }
  }

  /**
   * Deletes the stored documents of a tenant's access and export requests that completed before
   * `completedBefore` (at most `limit` requests per call); returns how many requests lost theirs.
   * The request and its receipt (the document's SHA-256) stay; the document is gone.
   */
  async expireExports(tenantId: string, completedBefore: number, limit: number): Promise<number> {
    const q = (name: string) => this.store.driver.escape(name);
    const due: { id: string }[] = await this.store.query(
      `SELECT r.${q('id')} AS ${q('id')} FROM ${q('privacy_requests')} r WHERE r.${q('tenantId')} = ? AND r.${q('status')} = 'COMPLETED' ` +
        `AND r.${q('type')} IN ('ACCESS', 'EXPORT') AND r.${q('completedAt')} < ? ` +
        `AND EXISTS (SELECT 1 FROM ${q('privacy_export_parts')} p WHERE p.${q('requestId')} = r.${q('id')}) LIMIT ${Math.max(1, Math.floor(limit))}`,
      [tenantId, completedBefore],
    );
    if (due.length > 0) await this.store.getRepository(PrivacyExportPartEntity).delete({ requestId: In(due.map((r) => r.id)) });
    return due.length;
  }

  parts(requestId: string): Promise<PrivacyExportPartRow[]> {
    return this.store.getRepository(PrivacyExportPartEntity).find({ where: { requestId }, order: { subgraph: 'ASC', entity: 'ASC', page: 'ASC' } });
  }
}
