import type { Caller } from '../../privacy/caller';
import type { Decision } from '../../privacy/decide';
import { wireNotices } from '../../privacy/enforcement/notices';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { readClassification } from '../../privacy/classification';
import { CursorSealer } from '../../privacy/enforcement/cursors';
import { personalFields } from '../../privacy/enforcement/fields';
import { PrivacyRequest } from '../../privacy/enforcement/request';
import { callSubjects } from '../../subgraphs/calls/subjects';
import type { ConsentPurpose } from '../../privacy/policy';
import { subjectKey, type ConsentStore, type ConsentSubject } from '../../privacy/store/consents';
import { loadSubgraphTypeDefs } from '../../schema';

interface CallRow {
  id: string;
  userId: string;
  contactId: string | null;
}

const admin: Caller = { userId: 'u-admin', tenantId: 't-1', role: 'ADMIN', purpose: 'SERVICE', requestId: 'r-1' };
// The calls subgraph's own declarations: its subject spec and the personal fields of its SDL.
const typeDefs = loadSubgraphTypeDefs('calls');
const fields = personalFields(buildSubgraphSchema({ typeDefs }), readClassification(typeDefs));
const recording = fields.get('CallLog.recordingUrl')!;
const notes = fields.get('CallLog.notes')!;

/** A consent store over a fixed table that counts its reads. */
function consentStore(live: Record<string, ConsentPurpose[]>) {
  const reads: string[][] = [];
  const store = {
    async liveConsents(_tenant: string, subjects: readonly ConsentSubject[]) {
      reads.push(subjects.map(subjectKey));
      return new Map(subjects.map((s) => [subjectKey(s), new Set(live[subjectKey(s)] ?? [])]));
    },
  } as unknown as ConsentStore;
  return { store, reads };
}

function request(live: Record<string, ConsentPurpose[]>) {
  const { store, reads } = consentStore(live);
  const engine = new PrivacyRequest({
    caller: admin,
    partnerScopes: [],
    consents: store,
    subjects: callSubjects,
    fields,
    tenantKey: new Uint8Array(32),
    cursors: new CursorSealer('test').forCaller(admin),
  });
  return { engine, reads };
}

const settle = async (decision: Decision | Promise<Decision>) => decision;

describe('PrivacyRequest decisions across rows', () => {
  it('decides each row by its own counterpart, even after a row without one', async () => {
    const { engine } = request({ 'CONTACT:c-consented': ['CALL_RECORDING'] });
    const rows: CallRow[] = [
      { id: 'call-1', userId: 'u-1', contactId: null },
      { id: 'call-2', userId: 'u-1', contactId: 'c-consented' },
      { id: 'call-3', userId: 'u-1', contactId: 'c-silent' },
      { id: 'call-4', userId: 'u-2', contactId: 'c-consented' },
    ];
    await engine.preload('CallLog', [recording.category], rows);
    const effects = await Promise.all(rows.map((row) => settle(engine.decide(recording, row))));
    expect(effects.map((d) => d.effect)).toEqual(['WITHHOLD', 'FULL', 'WITHHOLD', 'FULL']);
  });

  it('reads the consents of a list once, and decides without waiting afterwards', async () => {
    const { engine, reads } = request({ 'CONTACT:c-1': ['CALL_RECORDING'] });
    const rows: CallRow[] = Array.from({ length: 20 }, (_, i) => ({ id: `call-${i}`, userId: 'u-1', contactId: `c-${i % 3}` }));
    await engine.preload('CallLog', [recording.category, notes.category], rows);
    const decisions = rows.map((row) => engine.decide(recording, row));
    expect(decisions.some((d) => d instanceof Promise)).toBe(false);
    expect(reads).toEqual([['CONTACT:c-0', 'CONTACT:c-1', 'CONTACT:c-2']]);
    expect((decisions as Decision[]).filter((d) => d.effect === 'FULL')).toHaveLength(rows.filter((r) => r.contactId === 'c-1').length);
  });

  it('loads a consent it was not given in advance, then decides the same', async () => {
    const { engine, reads } = request({ 'CONTACT:c-1': ['CALL_RECORDING'] });
    const pending = engine.decide(recording, { id: 'call-1', userId: 'u-1', contactId: 'c-1' });
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).effect).toBe('FULL');
    expect(engine.decide(recording, { id: 'call-2', userId: 'u-1', contactId: 'c-1' })).toMatchObject({ effect: 'FULL' });
    expect(reads).toHaveLength(1);
  });

  it('reports hidden values grouped by effect and reason, with their paths', () => {
    const { engine } = request({});
    const row = { prev: { prev: { prev: undefined, key: '_entities', typename: undefined }, key: 0, typename: 'Contact' }, key: 'calls', typename: 'Contact' };
    const decision = engine.decide(notes, { id: 'call-1', userId: 'u-1', contactId: null }) as Decision;
    engine.notice({ prev: row, key: 'notes', typename: 'CallLog' }, decision);
    engine.notice({ prev: row, key: 'summary', typename: 'CallLog' }, decision);
    engine.notice({ prev: row, key: 'startedAt', typename: 'CallLog' }, { effect: 'FULL', reason: 'ADMIN' });
    expect(engine.notices.size).toBe(2);
    expect(engine.notices.toWire()).toEqual({
      rows: ['_entities.0.calls'],
      groups: [
        { effect: decision.effect, reason: decision.reason, field: 'notes', rows: [0] },
        { effect: decision.effect, reason: decision.reason, field: 'summary', rows: [0] },
      ],
    });
    expect([...wireNotices(engine.notices.toWire())].map((n) => n.path)).toEqual(['_entities.0.calls.notes', '_entities.0.calls.summary']);
    expect(decision.effect).not.toBe('FULL');
  });
});
