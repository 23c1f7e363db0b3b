import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { readClassification } from '../../privacy/classification';
import type { PrivacyAwareContext } from '../../privacy/enforcement/shield';
import { protectSchema } from '../../privacy/enforcement/shield';
import type { Decision } from '../../privacy/decide';
import { readSubgraphSdl } from '../../schema';
import { callsSubgraph } from '../../subgraphs/calls';
import { startSubgraph } from '../../subgraphs/shared/server';
import { createDataSource } from '../../platform/database';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  directive @personal(category: String!, strategy: String) on FIELD_DEFINITION
  directive @nonPersonal on FIELD_DEFINITION | OBJECT
  type Query { followUp: FollowUp }
  type FollowUp @key(fields: "id") { id: ID @nonPersonal dueAt: String }
`);

describe('fail closed', () => {
  it.each(['compiled', 'shield'] as const)('the %s executor serves no field that nothing classifies', async (engine) => {
    const schema = buildSubgraphSchema({ typeDefs, resolvers: { Query: { followUp: () => ({ id: 'f1', dueAt: '2026-12-01 Call Aarav Joshi' }) } } });
    const notices: Decision[] = [];
    const privacyRequest = { notice: (_path: unknown, decision: Decision) => notices.push(decision), mayNeedConsents: () => false };
    const { schema: protectedSchema } = protectSchema(schema, readClassification(typeDefs), engine);
    const result = await graphql({ schema: protectedSchema, source: '{ followUp { id dueAt } }', contextValue: { privacyRequest } as unknown as PrivacyAwareContext });
    expect(result.data).toEqual({ followUp: { id: 'f1', dueAt: null } });
    expect(JSON.stringify(result)).not.toContain('Aarav');
    expect(notices).toContainEqual({ effect: 'WITHHOLD', reason: 'UNCLASSIFIED' });
  });

  it('a subgraph whose SDL leaves a field unclassified refuses to start', async () => {
    const broken = parse(readSubgraphSdl('calls').replace('notes: String @personal(category: "user.device.call_log.notes")', 'notes: String'));
    const unused = createDataSource({ name: 'unused', entities: [], migrations: [] }, 'sqlite::memory:');
    await expect(
      startSubgraph({ ...callsSubgraph, typeDefs: broken }, {
        host: '127.0.0.1',
        port: 0,
        dataSource: unused,
        privacyStore: unused,
        internalSecret: 'x',
        introspection: false,
        bodyLimit: '1mb',
        pseudonymSecret: 'x',
        auditKey: 'x',
        privacyEnforcement: true,
        recordingsBaseUrl: 'http://127.0.0.1/recordings',
      }),
    ).rejects.toThrow(/calls: CallLog\.notes is not classified/);
  });
});
