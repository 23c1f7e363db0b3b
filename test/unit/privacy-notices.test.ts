import { entityPaths, mergePrivacyNotices } from '../../gateway/privacy-notices';

const data = {
  me: { name: 'Asha', contacts: { nodes: [{ id: 'c1' }, null, { id: 'c3' }] } },
};

describe('gateway: merging subgraph notices into client paths', () => {
  it('walks a fetch path the way the gateway ordered its _entities representations, skipping nulls', () => {
    expect(entityPaths(data, ['me', 'contacts', 'nodes', '@'])).toEqual([
      ['me', 'contacts', 'nodes', 0],
      ['me', 'contacts', 'nodes', 2],
    ]);
  });

  it('maps rows of root and _entities fetches, lists a shared row once, and drops rows the answer does not hold', () => {
    const privacy = mergePrivacyNotices(data, [
      { fetchPath: [], wire: { rows: ['me'], groups: [{ field: 'phone', effect: 'MASK', reason: 'A', rows: [0] }] } },
      {
        fetchPath: ['me', 'contacts', 'nodes', '@'],
        wire: {
          rows: ['_entities.1.lastCall', '_entities.0.lastCall', '_entities.7.lastCall'],
          groups: [
            { field: 'notes', effect: 'WITHHOLD', reason: 'B', rows: [0, 1, 2] },
            { field: 'recordingUrl', effect: 'WITHHOLD', reason: 'C', rows: [2] },
          ],
        },
      },
      { fetchPath: [], wire: { rows: ['me'], groups: [{ field: 'email', effect: 'MASK', reason: 'A', rows: [0] }] } },
    ]);
    expect(privacy.rows).toEqual([['me'], ['me', 'contacts', 'nodes', 2, 'lastCall'], ['me', 'contacts', 'nodes', 0, 'lastCall']]);
    expect(privacy.notices).toEqual([
      { field: 'phone', effect: 'MASK', reason: 'A', rows: [0] },
      { field: 'notes', effect: 'WITHHOLD', reason: 'B', rows: [1, 2] },
      { field: 'email', effect: 'MASK', reason: 'A', rows: [0] },
    ]);
  });
});
