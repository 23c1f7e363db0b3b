import { getIntrospectionQuery, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { isIntrospectionOnly } from '../../gateway/introspection';

const check = (source: string) => {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return isIntrospectionOnly(operation.selectionSet, document);
};

describe('introspection-only operations', () => {
  it('recognizes the standard introspection query and meta fields through fragments', () => {
    expect(check(getIntrospectionQuery({ inputValueDeprecation: true }))).toBe(true);
    expect(check('{ __typename }')).toBe(true);
    expect(check('{ ... on Query { __type(name: "User") { name } } }')).toBe(true);
    expect(check('query { ...Meta } fragment Meta on Query { __schema { queryType { name } } }')).toBe(true);
  });

  it('treats any data field, however hidden, as a data operation', () => {
    expect(check('{ __typename me { name } }')).toBe(false);
    expect(check('{ __schema { queryType { name } } ... on Query { me { name } } }')).toBe(false);
    expect(check('query { ...Data } fragment Data on Query { __typename contacts(first: 1) { totalCount } }')).toBe(false);
  });
});
