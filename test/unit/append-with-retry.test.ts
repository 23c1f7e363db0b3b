import type { DataSource, EntityManager } from 'typeorm';
import { appendWithRetry, isRetryableWriteError } from '../../platform/database';

/** A store whose transactions fail with the given driver codes, then succeed. */
function storeFailingWith(codes: string[]): { store: DataSource; calls: () => number } {
  let calls = 0;
  const store = {
    options: { type: 'mysql' },
    transaction: async <T>(work: (tx: EntityManager) => Promise<T>) => {
      const code = codes[calls];
      calls += 1;
      if (code) throw Object.assign(new Error('query failed'), { driverError: { code } });
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { store, calls: () => calls };
}

describe('appendWithRetry', () => {
  it('tries again after a lost race, a busy SQLite file, a stale snapshot and a MySQL deadlock', async () => {
    const { store, calls } = storeFailingWith(['ER_DUP_ENTRY', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'ER_LOCK_DEADLOCK', 'SQLITE_CONSTRAINT_UNIQUE']);
    expect(await appendWithRetry(store, async () => 'appended')).toBe('appended');
    expect(calls()).toBe(6);
  });

  it('throws any other error at once', async () => {
    const { store, calls } = storeFailingWith(['ER_NO_SUCH_TABLE']);
    await expect(appendWithRetry(store, async () => 'never')).rejects.toThrow('query failed');
    expect(calls()).toBe(1);
    expect(isRetryableWriteError(Object.assign(new Error(), { driverError: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } }))).toBe(false);
  });

  it('gives up after the last attempt', async () => {
    const { store, calls } = storeFailingWith(Array.from({ length: 10 }, () => 'SQLITE_BUSY'));
    await expect(appendWithRetry(store, async () => 'never', { attempts: 3 })).rejects.toThrow('query failed');
    expect(calls()).toBe(3);
  });
});
