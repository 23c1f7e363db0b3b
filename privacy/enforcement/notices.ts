import type { ResponsePath } from 'graphql';
import type { Decision } from '../decide';
import type { Effect } from '../policy';

/**
 * The client's `extensions.privacy`: every value the policy did not show in full, and why. Each
 * row (an object of the response, by its path) is listed once; each notice names a field, its
 * effect and reason, and the rows where that applied — so the path of a hidden value is
 * `[...rows[i], field]`. A list of 250 calls with two fields hidden costs 250 paths and two
 * notices, not 500 objects: the answer stays about its data's size, which matters to mobile apps.
 */
export interface PrivacyExtension {
  rows: (string | number)[][];
  notices: { field: string; effect: Exclude<Effect, 'FULL'>; reason: string; rows: number[] }[];
}

/**
 * How a subgraph reports its notices to the gateway (its `extensions.privacy`). A list of 250
 * calls hides the same two or three fields of every row for the same reasons, so the payload
 * names each row once — `rows`, dotted paths relative to the subgraph's response — and each
 * (effect, reason, field) once, with the indices of the rows where it applied. That is a fifth
 * of the size of one {path, effect, reason} per value, which the subgraph would serialize and the
 * gateway parse on every request. Dots are unambiguous: GraphQL names have none, and a segment
 * made of digits is a list index (names cannot start with a digit).
 */
export interface NoticeWire {
  rows: string[];
  groups: NoticeGroup[];
}

export interface NoticeGroup {
  effect: Exclude<Effect, 'FULL'>;
  reason: string;
  /** The field's response key (its alias, when the operation gave one). */
  field: string;
  /** Indices into `rows`. */
  rows: number[];
}

/**
 * The notices of one request in one subgraph, kept in the wire's shape as they come: a row's
 * path is spelled once, from graphql-js's own path object, however many of its fields are hidden.
 */
export class NoticeLog {
  private readonly rows: string[] = [];
  private readonly rowIndex = new Map<ResponsePath | undefined, number>();
  private readonly prefixes = new Map<ResponsePath, string>();
  private readonly groups: NoticeGroup[] = [];
  /** Per decision (mostly shared, memoized objects), per field: its group. */
  private readonly byDecision = new Map<Decision, Map<string, NoticeGroup>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(path: ResponsePath, decision: Decision): void {
    if (decision.effect === 'FULL') return;
    const field = String(path.key);
    let byField = this.byDecision.get(decision);
    if (!byField) this.byDecision.set(decision, (byField = new Map()));
    let group = byField.get(field);
    if (!group) {
      group = this.groups.find((g) => g.field === field && g.effect === decision.effect && g.reason === decision.reason);
      if (!group) this.groups.push((group = { effect: decision.effect, reason: decision.reason, field, rows: [] }));
      byField.set(field, group);
    }
    group.rows.push(this.rowOf(path.prev));
    this.count += 1;
  }

  private rowOf(row: ResponsePath | undefined): number {
    let index = this.rowIndex.get(row);
    if (index === undefined) {
      index = this.rows.push(row ? this.spell(row) : '') - 1;
      this.rowIndex.set(row, index);
    }
    return index;
  }

  /** Dotted path of a row; the rows of a list share their parent's prefix, spelled once. */
  private spell(path: ResponsePath): string {
    if (!path.prev) return String(path.key);
    let prefix = this.prefixes.get(path.prev);
    if (prefix === undefined) this.prefixes.set(path.prev, (prefix = this.spell(path.prev)));
    return `${prefix}.${path.key}`;
  }

  toWire(): NoticeWire {
    return { rows: this.rows, groups: this.groups };
  }
}

/** A dotted wire path back to segments (digits are list indices). */
export function pathSegments(dotted: string): (string | number)[] {
  if (dotted === '') return [];
  return dotted.split('.').map((segment) => {
    const first = segment.charCodeAt(0);
    return first >= 48 && first <= 57 ? Number(segment) : segment;
  });
}

/** The notices of a wire payload one by one, each with its dotted path (tests and tools; the gateway maps rows itself). */
export function* wireNotices(wire: NoticeWire): Generator<{ path: string; effect: NoticeGroup['effect']; reason: string }> {
  for (const group of wire.groups) {
    for (const row of group.rows) {
      const prefix = wire.rows[row]!;
      yield { path: prefix ? `${prefix}.${group.field}` : group.field, effect: group.effect, reason: group.reason };
    }
  }
}

/** Whether a subgraph's `extensions.privacy` has the wire shape (anything else is ignored, not trusted). */
export function isNoticeWire(value: unknown): value is NoticeWire {
  if (typeof value !== 'object' || value === null) return false;
  const { rows, groups } = value as Partial<NoticeWire>;
  return (
    Array.isArray(rows) &&
    rows.every((r) => typeof r === 'string') &&
    Array.isArray(groups) &&
    groups.every(
      (g: Partial<NoticeGroup> | null) =>
        typeof g === 'object' &&
        g !== null &&
        typeof g.effect === 'string' &&
        typeof g.reason === 'string' &&
        typeof g.field === 'string' &&
        Array.isArray(g.rows) &&
        g.rows.every((i) => Number.isInteger(i) && i >= 0 && i < rows.length),
    )
  );
}
