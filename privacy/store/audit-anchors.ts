import fs from 'node:fs';
import path from 'node:path';

/** Where a tenant's audit chain ended at one moment. */
export interface AuditHead {
  tenantId: string;
  sequence: number;
  hash: string;
}

interface AnchorLine extends AuditHead {
  anchoredAt: string;
}

/**
 * The audit chains' heads, appended to a file on a schedule (`npm run audit:anchor`) by a job that
 * is not the services writing the store. Kept where those services cannot write (another host,
 * another user, write-once storage), it lets audit:verify find what the keyed chain alone cannot:
 * records cut off the end of a chain, a whole chain deleted, or a chain rewritten by someone who
 * holds both the database and the audit key — for everything up to the last anchor.
 */
export class AnchorFile {
  constructor(private readonly file: string) {}

  /** Appends one line per head and flushes it to disk. */
  append(heads: readonly AuditHead[], now = new Date()): void {
    if (heads.length === 0) return;
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    const lines = heads.map((h) => JSON.stringify({ tenantId: h.tenantId, sequence: h.sequence, hash: h.hash, anchoredAt: now.toISOString() } satisfies AnchorLine)).join('\n');
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, `${lines}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The furthest anchored head of each tenant (none when the file does not exist yet). */
  latest(): Map<string, AuditHead> {
    const heads = new Map<string, AuditHead>();
    if (!fs.existsSync(this.file)) return heads;
    for (const [index, line] of fs.readFileSync(this.file, 'utf8').split('\n').entries()) {
      if (line.trim() === '') continue;
      let parsed: Partial<AnchorLine>;
      try {
        parsed = JSON.parse(line) as Partial<AnchorLine>;
      } catch {
        throw new Error(`${this.file}: line ${index + 1} is not an anchor`);
      }
      if (typeof parsed.tenantId !== 'string' || typeof parsed.sequence !== 'number' || typeof parsed.hash !== 'string') throw new Error(`${this.file}: line ${index + 1} is not an anchor`);
      const known = heads.get(parsed.tenantId);
      if (!known || parsed.sequence > known.sequence) heads.set(parsed.tenantId, { tenantId: parsed.tenantId, sequence: parsed.sequence, hash: parsed.hash });
    }
    return heads;
  }
}
