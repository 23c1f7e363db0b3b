import type { DataSource } from 'typeorm';
import { JobLeaseEntity } from './entities';

export interface ClaimOptions {
  /** How long the lease holds unless renewed or released: a holder that dies frees the job after this. */
  leaseMs: number;
  /** Refuse the claim when the job completed less than this long before `now` (a schedule's interval). */
  notCompletedWithinMs?: number;
}

/**
 * Single-runner leases for scheduled jobs in the shared privacy store. A claim is one conditional
 * UPDATE (the job's row is free: never leased, or its lease ran out), which the store applies
 * atomically on SQLite and MySQL alike: of several workers claiming at once, exactly one changes
 * the row and holds the job. Times are the caller's clock, so a test can move it.
 */
export class JobLeases {
  constructor(private readonly store: DataSource) {}

  /** Holds `job` for `holder` until now + leaseMs if it is free (and due); true when claimed. */
  async claim(job: string, holder: string, now: Date, options: ClaimOptions): Promise<boolean> {
    await this.ensureRow(job);
    let update = this.store
      .createQueryBuilder()
      .update(JobLeaseEntity)
      .set({ holder, leasedUntil: new Date(now.getTime() + options.leaseMs) })
      .where('job = :job', { job })
      .andWhere('(leasedUntil IS NULL OR leasedUntil <= :now)', { now });
    if (options.notCompletedWithinMs !== undefined) {
      update = update.andWhere('(lastCompletedAt IS NULL OR lastCompletedAt <= :dueAfter)', { dueAfter: new Date(now.getTime() - options.notCompletedWithinMs) });
    }
    return ((await update.execute()).affected ?? 0) === 1;
  }

  /** Extends the lease while the holder still holds it; false when it was lost (ran out and taken). */
  async renew(job: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const result = await this.store.createQueryBuilder().update(JobLeaseEntity).set({ leasedUntil: new Date(now.getTime() + leaseMs) }).where('job = :job AND holder = :holder', { job, holder }).execute();
    return (result.affected ?? 0) === 1;
  }

  /** Frees the job; `completed` records when it last completed (a failed run is not a completion). */
  async release(job: string, holder: string, completedAt?: Date): Promise<void> {
    await this.store
      .createQueryBuilder()
      .update(JobLeaseEntity)
      .set({ holder: null, leasedUntil: null, ...(completedAt ? { lastCompletedAt: completedAt } : {}) })
      .where('job = :job AND holder = :holder', { job, holder })
      .execute();
  }

  async state(job: string) {
    return this.store.getRepository(JobLeaseEntity).findOne({ where: { job } });
  }

  /** The job's row exists (two first claims at once: one insert wins, the other finds it). */
  private async ensureRow(job: string): Promise<void> {
    const repository = this.store.getRepository(JobLeaseEntity);
    if (await repository.findOne({ where: { job }, select: { job: true } })) return;
    try {
      await repository.insert({ job, holder: null, leasedUntil: null, lastCompletedAt: null });
    } catch (error) {
      if (!(await repository.findOne({ where: { job }, select: { job: true } }))) throw error;
    }
  }
}
