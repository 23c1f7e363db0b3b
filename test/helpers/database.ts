import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../platform/database';

export interface TestDatabase {
  url: string;
  kind: 'mysql' | 'sqlite';
  drop(): Promise<void>;
}

/** The suite runs on MariaDB/MySQL when DATABASE_URL names one, on embedded SQLite otherwise. */
export const testTarget = (): 'mysql' | 'sqlite' => (process.env.DATABASE_URL?.startsWith('mysql') ? 'mysql' : 'sqlite');

/**
 * A database of its own for one test file, so files can run in parallel: a scratch database on the
 * MySQL server named by DATABASE_URL, or a temporary SQLite file.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (testTarget() === 'mysql') {
    const base = parseDatabaseUrl(process.env.DATABASE_URL);
    if (base.kind !== 'mysql') throw new Error('unreachable');
    const url = new URL(base.url);
    const name = `crm_test_${suffix}`;
    const admin = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'mysql',
      drop: async () => {
        const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await conn.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
  return {
    url: `sqlite:${path.join(dir, `crm-${suffix}.sqlite`)}`,
    kind: 'sqlite',
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
