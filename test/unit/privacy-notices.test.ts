import { entityPaths, entityRows, mergePrivacyNotices } from '../../gateway/privacy-notices';

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

  it('maps rows of root and _entities fetches in the order the fetches started, lists a shared row once, and drops rows the answer does not hold', () => {
    // Listed in the order the fetches answered; merged in the order they started.
    const privacy = mergePrivacyNotices(data, [
      { order: 3, fetchPath: [], wire: { rows: ['me'], groups: [{ field: 'email', effect: 'MASK', reason: 'A', rows: [0] }] } },
      { order: 1, fetchPath: [], wire: { rows: ['me'], groups: [{ field: 'phone', effect: 'MASK', reason: 'A', rows: [0] }] } },
      {
        order: 2,
        fetchPath: ['me', 'contacts', 'nodes', '@'],
        wire: {
          rows: ['_entities.1.lastCall', '_entities.0.lastCall', '_entities.7.lastCall'],
          groups: [
            { field: 'notes', effect: 'WITHHOLD', reason: 'B', rows: [0, 1, 2] },
            { field: 'recordingUrl', effect: 'WITHHOLD', reason: 'C', rows: [2] },
          ],
        },
      },
    ]);
    expect(privacy.rows).toEqual([['me'], ['me', 'contacts', 'nodes', 2, 'lastCall'], ['me', 'contacts', 'nodes', 0, 'lastCall']]);
    expect(privacy.notices).toEqual([
      { field: 'phone', effect: 'MASK', reason: 'A', rows: [0] },
      { field: 'notes', effect: 'WITHHOLD', reason: 'B', rows: [1, 2] },
      { field: 'email', effect: 'MASK', reason: 'A', rows: [0] },
    ]);
  });
});

describe('gateway: placing notices of _entities fetches by entity', () => {
  // A union list: the calls subgraph was asked only about the CallLog members, so its two
  // representations stand for the 2nd and 4th objects, not the 1st and 2nd.
  const feed = {
    feed: [
      { __typename: 'Meeting', id: 'm1', title: 'Kick-off' },
      { __typename: 'CallLog', id: 'call-1', notes: null },
      null,
      { __typename: 'Meeting', id: 'm2', title: 'Review' },
      { __typename: 'CallLog', id: 'call-2', notes: null },
    ],
  };
  const representations = [
    { __typename: 'CallLog', id: 'call-1' },
    { __typename: 'CallLog', id: 'call-2' },
  ];
  const wire = { rows: ['_entities.0', '_entities.1'], groups: [{ field: 'notes', effect: 'WITHHOLD' as const, reason: 'ADMIN_CALL_NOTES', rows: [0, 1] }] };

  it('puts each notice on the object of its type and key, however many objects of other types come between', () => {
    const privacy = mergePrivacyNotices(feed, [{ order: 1, fetchPath: ['feed', '@'], wire, representations }]);
    expect(privacy.rows).toEqual([['feed', 1], ['feed', 4]]);
    expect(privacy.notices).toEqual([{ field: 'notes', effect: 'WITHHOLD', reason: 'ADMIN_CALL_NOTES', rows: [0, 1] }]);
  });

  it('drops a notice it cannot place with certainty rather than put it on another object', () => {
    const untyped = { feed: feed.feed.map((o) => (o ? { title: 'x' } : o)) };
    expect(entityRows(untyped, ['feed', '@'], representations)).toEqual([undefined, undefined]);
    // A key the client selected must agree.
    const swapped = { feed: [{ __typename: 'CallLog', id: 'call-2' }, { __typename: 'CallLog', id: 'call-1' }] };
    expect(entityRows(swapped, ['feed', '@'], representations)).toEqual([undefined, undefined]);
  });
});
