import type { ApolloServerPlugin } from '@apollo/server';
import type { PrivacyNotice } from '../privacy/enforcement/notices';
import type { GatewayContext } from './context';

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

/** The segments of a dotted wire path (digits are list indices). */
function segments(dotted: string): Path {
  return dotted.split('.').map((segment) => {
    const first = segment.charCodeAt(0);
    return first >= 48 && first <= 57 ? Number(segment) : segment;
  });
}

/**
 * Merges the subgraphs' privacy notices into the client's `extensions.privacy`, each with its path
 * in the client's response, so an app can render "hidden (no consent)" next to the right value.
 * Notices come in the order of the fetches, then grouped by effect and reason as the subgraph sent them.
 */
export const privacyNotices: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const batches = contextValue.privacyNotices;
        if (!batches?.length || response.body.kind !== 'single') return;
        const data = response.body.singleResult.data;
        const privacy: PrivacyNotice[] = [];
        // The same relative path recurs under every entity of a fetch ("calls.nodes.0.notes"): parse it once.
        const parsed = new Map<string, Path>();
        const tail = (dotted: string): Path => parsed.get(dotted) ?? parsed.set(dotted, segments(dotted)).get(dotted)!;
        for (const { fetchPath, groups } of batches) {
          const prefix = fetchPath.filter((p) => p !== '@');
          let entities: Path[] | undefined;
          for (const { effect, reason, paths } of groups) {
            for (const dotted of paths) {
              let path: Path;
              if (dotted.startsWith(ENTITIES)) {
                const end = dotted.indexOf('.', ENTITIES.length);
                const index = Number(end === -1 ? dotted.slice(ENTITIES.length) : dotted.slice(ENTITIES.length, end));
                entities ??= entityPaths(data, fetchPath);
                const base = entities[index];
                if (!base) continue;
                path = end === -1 ? base.slice() : base.concat(tail(dotted.slice(end + 1)));
              } else {
                path = prefix.concat(tail(dotted));
              }
              privacy.push({ path, effect, reason });
            }
          }
        }
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, privacy };
      },
    };
  },
};
