import type { ApolloServerPlugin } from '@apollo/server';
import { pathSegments, type PrivacyExtension } from '../privacy/enforcement/notices';
import type { GatewayContext, SubgraphNotices } from './context';

type Path = (string | number)[];

/** How a subgraph's path into an `_entities` fetch starts: the representation's index follows. */
const ENTITIES = '_entities.';

/**
 * Concrete response paths of the objects a fetch at `fetchPath` ran for, in the order the gateway
 * sent them as `_entities` representations: the walk Apollo's gateway itself does to place a
 * subgraph error (`@` expands a list, null objects are skipped).
 */
export function entityPaths(data: unknown, fetchPath: Path): Path[] {
  const found: Path[] = [];
  const at: Path = [];
  const walk = (value: unknown, depth: number): void => {
    if (value === null || value === undefined) return;
    const head = fetchPath[depth];
    if (head === undefined) {
      found.push(at.slice());
    } else if (Array.isArray(value)) {
      const next = head === '@' ? depth + 1 : depth;
      for (let i = 0; i < value.length; i += 1) {
        at.push(i);
        walk(value[i], next);
        at.pop();
      }
    } else if (head !== '@' && typeof value === 'object' && head in (value as object)) {
      at.push(head);
      walk((value as Record<string, unknown>)[head as string], depth + 1);
      at.pop();
    }
  };
  walk(data, 0);
  return found;
}

/**
 * The objects an `_entities` fetch answered for, one per representation, in order. The gateway
 * sends a representation only for the objects at the fetch path whose type matches the fetch's
 * type condition (under a union or interface some are skipped), so a position alone can point at
 * the wrong object: each representation is matched, in order, to the next object of its type (as
 * the client's answer names it in `__typename`) whose key fields agree. Where the answer does not
 * say an object's type and the positions cannot be trusted, the row is not placed at all rather
 * than placed on someone else.
 */
export function entityRows(data: unknown, fetchPath: Path, representations: readonly Record<string, unknown>[] | undefined): (Path | undefined)[] {
  const candidates = entityPaths(data, fetchPath);
  if (!representations) return candidates;
  const objectAt = (path: Path) => path.reduce<any>((value, key) => value?.[key], data) as Record<string, unknown> | undefined;
  const typesSent = new Set(representations.map((r) => r.__typename));
  const positional = candidates.length === representations.length && (typesSent.size <= 1 || candidates.every((c) => typeof objectAt(c)?.__typename === 'string'));
  const agrees = (object: Record<string, unknown> | undefined, representation: Record<string, unknown>): boolean => {
    if (!object) return false;
    if (typeof object.__typename === 'string' && object.__typename !== representation.__typename) return false;
    // Key fields the client also selected must be equal; fields it did not select cannot disagree.
    return Object.entries(representation).every(([key, value]) => key === '__typename' || !(key in object) || typeof value === 'object' || object[key] === value);
  };
  if (positional) return candidates.map((path, i) => (agrees(objectAt(path), representations[i]!) ? path : undefined));
  // Positions shifted by a type condition: only typed objects can be matched.
  const typed = candidates.filter((path) => typeof objectAt(path)?.__typename === 'string' && typesSent.has(objectAt(path)!.__typename));
  let next = 0;
  return representations.map((representation) => {
    while (next < typed.length && !agrees(objectAt(typed[next]!), representation)) next += 1;
    return next < typed.length ? typed[next++] : undefined;
  });
}

/**
 * The client's `extensions.privacy` from the notices of every subgraph fetch: each row with its
 * path in the client's response, so an app can render "hidden (no consent)" next to the right
 * value. Rows and notices come in the order the fetches started (the query plan's, whichever
 * subgraph answered first), notices as each subgraph grouped them.
 */
export function mergePrivacyNotices(data: unknown, batches: readonly SubgraphNotices[]): PrivacyExtension {
  const privacy: PrivacyExtension = { rows: [], notices: [] };
  // Two subgraphs may hide fields of the same object: it is still one row, known by its dotted path.
  const rowIndex = new Map<string, number>();
  // The rows of an `_entities` fetch repeat the same few tails (`calls.nodes.0`, …) under each entity.
  const tails = new Map<string, (string | number)[]>();
  const rowOf = (row: ClientRow): number => {
    const key = row.rest === '' ? row.baseKey : row.baseKey === '' ? row.rest : `${row.baseKey}.${row.rest}`;
    let index = rowIndex.get(key);
    if (index === undefined) {
      let tail = tails.get(row.rest);
      if (!tail) tails.set(row.rest, (tail = pathSegments(row.rest)));
      rowIndex.set(key, (index = privacy.rows.push([...row.base, ...tail]) - 1));
    }
    return index;
  };
  const inPlanOrder = batches.length > 1 ? [...batches].sort((a, b) => a.order - b.order) : batches;
  for (const { fetchPath, wire, representations } of inPlanOrder) {
    // Wire row i becomes client row renumbered[i]; rows the client's data does not hold are dropped.
    const renumbered = clientRows(data, fetchPath, wire.rows, representations).map((row) => (row ? rowOf(row) : -1));
    for (const { field, effect, reason, rows } of wire.groups) {
      const placed: number[] = [];
      for (const row of rows) if (renumbered[row]! >= 0) placed.push(renumbered[row]!);
      if (placed.length > 0) privacy.notices.push({ field, effect, reason, rows: placed });
    }
  }
  return privacy;
}

/** Puts the merged notices into the response's `extensions.privacy`. */
export const privacyNotices: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const batches = contextValue.privacyNotices;
        if (!batches?.length || response.body.kind !== 'single') return;
        const privacy = mergePrivacyNotices(response.body.singleResult.data, batches);
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, privacy };
      },
    };
  },
};

/** A row in the client's response: the path of the object a fetch answered for, then the rest in dotted form. */
interface ClientRow {
  base: Path;
  /** `base` joined with dots. */
  baseKey: string;
  rest: string;
}

/**
 * Where each row a subgraph reported sits in the client's response. A fetch at the root answers
 * under the same keys; an `_entities` fetch answers for the objects at `fetchPath`, in order.
 */
function clientRows(data: unknown, fetchPath: Path, rows: readonly string[], representations?: readonly Record<string, unknown>[]): (ClientRow | undefined)[] {
  const prefix = fetchPath.filter((p) => p !== '@');
  const root: ClientRow = { base: prefix, baseKey: prefix.join('.'), rest: '' };
  let entities: (ClientRow | undefined)[] | undefined;
  return rows.map((dotted) => {
    if (dotted === '_entities') return undefined;
    if (!dotted.startsWith(ENTITIES)) return { ...root, rest: dotted };
    const end = dotted.indexOf('.', ENTITIES.length);
    const index = Number(end === -1 ? dotted.slice(ENTITIES.length) : dotted.slice(ENTITIES.length, end));
    entities ??= entityRows(data, fetchPath, representations).map((path) => (path ? { base: path, baseKey: path.join('.'), rest: '' } : undefined));
    const entity = entities[index];
    if (!entity) return undefined;
    return end === -1 ? entity : { ...entity, rest: dotted.slice(end + 1) };
  });
}
