import type { ResponsePath } from 'graphql';
import type { Effect } from '../policy';
import type { Decision } from '../decide';

/** One entry of the client's `extensions.privacy`: a value that was not shown in full, and why. */
export interface PrivacyNotice {
  path: (string | number)[];
  effect: Exclude<Effect, 'FULL'>;
  reason: string;
}

/**
 * How a subgraph reports its notices to the gateway (its `extensions.privacy`): one group per
 * (effect, reason), each path a dotted string relative to the subgraph's response. A list of
 * 250 calls repeats the same two or three (effect, reason) pairs hundreds of times; grouped, the
 * payload is about half the size of one object per value, which the subgraph serializes and the
 * gateway parses on every request. Dots are unambiguous: GraphQL names have none, and a segment
 * made of digits is a list index (names cannot start with a digit).
 */
export interface NoticeGroup {
  effect: Exclude<Effect, 'FULL'>;
  reason: string;
  paths: string[];
}

/**
 * The notices of one request in one subgraph. A notice keeps graphql-js's own path object and is
 * spelled out only when the response is sent; the fields of one row share their parent path, so
 * its prefix is spelled once per row rather than once per field.
 */
export class NoticeLog {
  private readonly groups = new Map<string, NoticeGroup>();
  private readonly byDecision = new WeakMap<Decision, NoticeGroup>();
  private readonly prefixes = new Map<ResponsePath, string>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(path: ResponsePath, decision: Decision): void {
    if (decision.effect === 'FULL') return;
    // Decisions are mostly shared objects (memoized per field): find the group by identity first.
    let group = this.byDecision.get(decision);
    if (!group) {
      const key = `${decision.effect} ${decision.reason}`;
      group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { effect: decision.effect, reason: decision.reason, paths: [] }));
      this.byDecision.set(decision, group);
    }
    group.paths.push(this.spell(path));
    this.count += 1;
  }

  private spell(path: ResponsePath): string {
    if (!path.prev) return String(path.key);
    let prefix = this.prefixes.get(path.prev);
    if (prefix === undefined) this.prefixes.set(path.prev, (prefix = this.spell(path.prev)));
    return `${prefix}.${path.key}`;
  }

  toWire(): NoticeGroup[] {
    return [...this.groups.values()];
  }
}

/** A dotted wire path back to segments (digits are list indices). */
export function pathSegments(dotted: string): (string | number)[] {
  return dotted.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** Whether a subgraph's `extensions.privacy` has the wire shape (anything else is ignored, not trusted). */
export function isNoticeWire(value: unknown): value is NoticeGroup[] {
  return (
    Array.isArray(value) &&
    value.every(
      (g: Partial<NoticeGroup> | null) =>
        typeof g === 'object' && g !== null && typeof g.effect === 'string' && typeof g.reason === 'string' && Array.isArray(g.paths) && g.paths.every((p) => typeof p === 'string'),
    )
  );
}
