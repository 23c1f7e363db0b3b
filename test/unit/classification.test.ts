import { parse } from 'graphql';
import { lintClassification, readClassification } from '../../privacy/classification';
import { readSubgraphSdl } from '../../schema';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';

const sdl = (body: string) =>
  parse(`directive @personal(category: String!, strategy: String) on FIELD_DEFINITION
directive @nonPersonal on FIELD_DEFINITION | OBJECT
directive @key(fields: String!) repeatable on OBJECT
${body}`);

describe('privacy classification', () => {
  it('classifies every field of every entity of the four subgraphs', () => {
    for (const name of SUBGRAPH_NAMES) expect(lintClassification(name, parse(readSubgraphSdl(name)))).toEqual([]);
  });

  it('names an unclassified field of an entity type', () => {
    const problems = lintClassification('contacts', sdl('type Contact @key(fields: "id") { id: ID! @nonPersonal nickname: String }'));
    expect(problems).toEqual(['contacts: Contact.nickname is not classified: add @personal(category: "…") or @nonPersonal']);
  });

  it('also checks value types that hold personal data, and refuses unknown categories', () => {
    const problems = lintClassification('location', sdl('type Ping { lat: Float @personal(category: "user.location.precise") note: String at: String @personal(category: "user.whereabouts") }'));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('Ping.note is not classified');
    expect(problems[1]).toContain('unknown category "user.whereabouts"');
  });

  it('fails closed: a new value type is checked even when it is no entity and holds nothing personal yet', () => {
    const problems = lintClassification('calls', sdl('type FollowUp { dueAt: String remark: String @nonPersonal } type Query { followUps: [FollowUp] }'));
    expect(problems).toEqual(['calls: FollowUp.dueAt is not classified: add @personal(category: "…") or @nonPersonal']);
  });

  it('accepts structural types marked @nonPersonal as a whole, but not a personal field inside one', () => {
    expect(lintClassification('calls', sdl('type CallPage @nonPersonal { total: Int cursor: String }'))).toEqual([]);
    expect(lintClassification('calls', sdl('type CallPage @nonPersonal { owner: String @personal(category: "user.name") }'))[0]).toContain('personal in a type marked @nonPersonal');
    expect(readClassification(sdl('type CallPage @nonPersonal { total: Int }')).get('CallPage')?.get('total')).toEqual({ personal: false });
  });

  it('refuses a strategy the registry does not have', () => {
    expect(lintClassification('location', sdl('type Ping { lat: Float @personal(category: "user.location.precise", strategy: "blur") }'))[0]).toContain('unknown strategy "blur"');
  });

  it('reads the category of each personal field', () => {
    const classification = readClassification(parse(readSubgraphSdl('accounts')));
    expect(classification.get('User')?.get('email')).toEqual({ personal: true, category: 'user.contact.email' });
    expect(classification.get('User')?.get('id')).toEqual({ personal: false });
  });

  it('makes composition fail while a field is unclassified', async () => {
    const { composeSupergraph } = await import('../../schema/compose');
    const schemaModule = await import('../../schema');
    const original = schemaModule.readSubgraphSdl;
    const spy = jest.spyOn(schemaModule, 'readSubgraphSdl').mockImplementation((name: string) => {
      const real = original(name);
      return name === 'calls' ? real.replace('notes: String @personal(category: "user.device.call_log.notes")', 'notes: String') : real;
    });
    try {
      expect(() => composeSupergraph()).toThrow(/calls: CallLog\.notes is not classified/);
    } finally {
      spy.mockRestore();
    }
  });
});
