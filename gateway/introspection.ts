import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * How deep an introspection-only operation may go in development: the standard introspection query
 * of graphql-js (what GraphiQL, IDEs and code generators send) is 15 levels deep, which is past the
 * limit meant for data operations. No data field can be reached from `__schema` or `__type`, so
 * this deeper limit never applies to personal data. Production refuses introspection outright.
 */
export const INTROSPECTION_MAX_DEPTH = 15;

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

/** True when every field at the root of the operation (through fragments) is a meta field. */
export function isIntrospectionOnly(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return META_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return isIntrospectionOnly(selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return true;
    const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment ? isIntrospectionOnly(fragment.selectionSet, document, new Set(seen).add(fragment.name.value)) : true;
  });
}
