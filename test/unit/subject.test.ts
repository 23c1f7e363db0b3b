import { buildSubgraphSchema } from '@apollo/subgraph';
import { readClassification } from '../../privacy/classification';
import { personalFields } from '../../privacy/enforcement/fields';
import { memoKey } from '../../privacy/enforcement/request';
import { SLOT_COUNT, classesOf, relationTo, slotOf, subjectOfRow, type SubjectOfRow } from '../../privacy/enforcement/subject';
import { RELATIONS, SUBJECT_KINDS } from '../../privacy/policy';
import { loadSubgraphTypeDefs } from '../../schema';
import { SUBGRAPHS } from '../../subgraphs';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';

describe('subjects', () => {
  it('makes SELF only for roles that act as the person in their token', () => {
    for (const role of ['ADMIN', 'MEMBER', 'DPO'] as const) expect(relationTo({ role, userId: 'u1', teamId: 't1' }, 'u1', 't1')).toBe('SELF');
    // Vendor staff and partner apps carry a user id, but a row about that user is not their own data.
    expect(relationTo({ role: 'SUPPORT', userId: 'u1', teamId: 't1' }, 'u1', 't1')).toBe('SAME_TEAM');
    expect(relationTo({ role: 'PARTNER', userId: 'u1' }, 'u1', 't1')).toBe('SAME_TENANT');
    expect(classesOf(SUBGRAPHS.accounts.subjects.User!, { role: 'PARTNER', userId: 'u1' }).some((c) => c.relation === 'SELF')).toBe(false);
  });

  it('reads a row through its type’s declaration', () => {
    const call = { id: 'c1', userId: 'u1', contactId: 'k1' };
    expect(subjectOfRow(SUBGRAPHS.calls.subjects.CallLog!, call, { role: 'MEMBER', userId: 'u1' })).toEqual({
      kind: 'CALL_LOG',
      relation: 'SELF',
      consentSubject: { type: 'USER', id: 'u1' },
      counterpart: { type: 'CONTACT', id: 'k1' },
      installedCallerApp: false,
    });
    expect(subjectOfRow(SUBGRAPHS.accounts.subjects.User!, { id: 'u9', teamId: null }, { role: 'PARTNER', userId: 'u9' }, 'u9').installedCallerApp).toBe(true);
  });

  it('gives every distinct subject its own slot, and every (field, slot) its own memo key', () => {
    const subjects: SubjectOfRow[] = [];
    for (const kind of SUBJECT_KINDS)
      for (const relation of RELATIONS)
        for (const installedCallerApp of [false, true])
          for (const consentSubject of [undefined, { type: 'USER' as const, id: 'u' }])
            for (const counterpart of [undefined, { type: 'CONTACT' as const, id: 'c' }]) subjects.push({ kind, relation, installedCallerApp, consentSubject, counterpart });
    const slots = subjects.map(slotOf);
    expect(new Set(slots).size).toBe(subjects.length);
    expect(Math.max(...slots)).toBeLessThan(SLOT_COUNT);
    for (const name of SUBGRAPH_NAMES) {
      const typeDefs = loadSubgraphTypeDefs(name);
      const fields = [...personalFields(buildSubgraphSchema({ typeDefs }), readClassification(typeDefs)).values()];
      expect(fields.map((f) => f.id).sort((a, b) => a - b)).toEqual(fields.map((_, i) => i));
      const keys = fields.flatMap((field) => slots.map((slot) => memoKey(field, slot)));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('declares a subject for every type of every subgraph that has personal fields', () => {
    for (const name of SUBGRAPH_NAMES) {
      const classification = readClassification(loadSubgraphTypeDefs(name));
      for (const [type, fields] of classification) {
        if ([...fields.values()].some((f) => f.personal)) expect({ name, type, declared: SUBGRAPHS[name].subjects[type] !== undefined }).toEqual({ name, type, declared: true });
      }
    }
  });
});
