import type { ApolloServerPlugin } from '@apollo/server';
import type { PrivacyNotice } from '../privacy/enforcement/request';
import type { GatewayContext } from './context';

type Path = (string | number)[];

/**
 * Concrete response paths of the objects a fetch at `fetchPath` ran for, in the order the gateway
 * sent them as `_entities` representations: the walk Apollo's gateway itself does to place a
 * subgraph error (`@` expands a list, null objects are skipped).
 */
export function entityPaths(data: unknown, fetchPath: Path): Path[] {
  const found: Path[] = [];
  const walk = (value: unknown, rest: Path, at: Path): void => {
    if (value === null || value === undefined) return;
    const [head, ...tail] = rest;
    if (head === undefined) found.push(at);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, head === '@' ? tail : rest, [...at, i]));
    else if (head !== '@' && typeof value === 'object' && head in (value as object)) walk((value as Record<string, unknown>)[head as string], tail, [...at, head]);
  };
  walk(data, fetchPath, []);
  return found;
}

/**
 * Merges the subgraphs' privacy notices into the client's `extensions.privacy`, each with its path
 * in the client's response, so an app can render "hidden (no consent)" next to the right value.
 */
export const privacyNotices: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const batches = contextValue.privacyNotices;
        if (!batches?.length || response.body.kind !== 'single') return;
        const data = response.body.singleResult.data;
        const merged: PrivacyNotice[] = [];
        for (const { fetchPath, notices } of batches) {
          let hydrated: Path[] | undefined;
          for (const notice of notices) {
            const [first, index, ...rest] = notice.path;
            if (first === '_entities' && typeof index === 'number') {
              hydrated ??= entityPaths(data, fetchPath);
              const base = hydrated[index];
              if (base) merged.push({ ...notice, path: [...base, ...rest] });
            } else {
              merged.push({ ...notice, path: [...fetchPath.filter((p) => p !== '@'), ...notice.path] });
            }
          }
        }
        // In response order, keyed once (a comparator that joins paths would do it n·log n times).
        const keyed = merged.map((notice) => ({ key: notice.path.join('.'), notice }));
        keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, privacy: keyed.map((k) => k.notice) };
      },
    };
  },
};
