import { Kind, type DirectiveNode, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { CATEGORIES, type Category } from './policy';
import { lintInventory } from './inventory/lint';
import type { ColumnEntry, SubgraphInventory } from './inventory/types';
import { isStrategyName, type StrategyName } from './strategies';

/**
 * A field is personal data of one category (optionally naming the strategy that shows it in
 * part), or plainly not personal.
 */
export type FieldClass = { personal: true; category: Category; strategy?: StrategyName } | { personal: false };

/** Type name -> field name -> class, read from a subgraph's SDL. */
export type Classification = Map<string, Map<string, FieldClass>>;

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

/** Root operation types: their fields are entry points, whose arguments the engine governs as channels. */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

function objectTypes(doc: DocumentNode): ObjectNode[] {
  return doc.definitions.filter((d): d is ObjectNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION);
}

const stringArg = (directive: DirectiveNode, name: string): string | undefined => {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg?.value.kind === Kind.STRING ? arg.value.value : undefined;
};

/** `@nonPersonal` on a type: a structural type (connection, page info, …) with no personal field. */
const isStructural = (type: ObjectNode): boolean => (type.directives ?? []).some((d) => d.name.value === 'nonPersonal');

function classOf(field: FieldDefinitionNode): FieldClass | undefined {
  for (const directive of field.directives ?? []) {
    if (directive.name.value === 'nonPersonal') return { personal: false };
    if (directive.name.value === 'personal') {
      const strategy = stringArg(directive, 'strategy');
      return { personal: true, category: (stringArg(directive, 'category') ?? '') as Category, ...(strategy ? { strategy: strategy as StrategyName } : {}) };
    }
  }
  return undefined;
}

/** Reads `@personal(category:, strategy:)` / `@nonPersonal` off every field of every object type (a structural type's fields are all non-personal). */
export function readClassification(doc: DocumentNode): Classification {
  const classification: Classification = new Map();
  for (const type of objectTypes(doc)) {
    if (ROOT_TYPES.has(type.name.value)) continue;
    const fields = classification.get(type.name.value) ?? new Map<string, FieldClass>();
    const structural = isStructural(type);
    for (const field of type.fields ?? []) {
      const cls = classOf(field) ?? (structural ? { personal: false as const } : undefined);
      if (cls) fields.set(field.name.value, cls);
    }
    classification.set(type.name.value, fields);
  }
  return classification;
}

/**
 * Fail closed: every field of every object type but the root types must say what it is — a
 * field `@personal(category: …)` or `@nonPersonal`, or its whole type `@nonPersonal` (structural
 * types). A new type is refused until it is classified. Returns one message per problem, naming
 * the subgraph, type and field. Composition and every subgraph's start-up run it.
 */
export function lintClassification(subgraph: string, doc: DocumentNode): string[] {
  const problems: string[] = [];
  for (const type of objectTypes(doc)) {
    if (ROOT_TYPES.has(type.name.value)) continue;
    const structural = isStructural(type);
    for (const field of type.fields ?? []) {
      const cls = classOf(field);
      const where = `${subgraph}: ${type.name.value}.${field.name.value}`;
      if (!cls) {
        if (!structural) problems.push(`${where} is not classified: add @personal(category: "…") or @nonPersonal`);
      } else if (cls.personal) {
        if (structural) problems.push(`${where} is personal in a type marked @nonPersonal`);
        if (!(CATEGORIES as readonly string[]).includes(cls.category)) problems.push(`${where} has unknown category "${cls.category}" (known: ${CATEGORIES.join(', ')})`);
        if (cls.strategy !== undefined && !isStrategyName(cls.strategy)) problems.push(`${where} names unknown strategy "${cls.strategy}"`);
      }
    }
  }
  return problems;
}

/**
 * The inventory agrees with the SDL: every @personal field of a type backed by an inventoried
 * table is backed by an inventoried column of the same category, no inventoried personal column
 * is exposed as @nonPersonal, and every type with a personal field is backed by an inventoried
 * table (a personal field whose data has no inventory entry could never be exported or erased).
 */
export function lintInventoryClassification(subgraph: string, doc: DocumentNode, inventory: SubgraphInventory): string[] {
  const problems: string[] = [];
  const classification = readClassification(doc);
  const backed = new Set<string>();
  for (const entity of inventory.entities) {
    if (!entity.graphqlType) continue;
    backed.add(entity.graphqlType);
    const fields = classification.get(entity.graphqlType) ?? new Map<string, FieldClass>();
    const byField = new Map<string, [string, ColumnEntry]>();
    for (const [column, entry] of Object.entries(entity.columns)) {
      const field = entry.field === undefined ? column : entry.field;
      if (field !== null) byField.set(field, [column, entry]);
    }
    for (const [field, cls] of fields) {
      const where = `${subgraph}: ${entity.graphqlType}.${field}`;
      const backing = byField.get(field);
      if (cls.personal) {
        if (!backing?.[1].category) problems.push(`${where} is @personal but no inventory column backs it (inventory ${entity.schema.options.name})`);
        else if (backing[1].category !== cls.category) problems.push(`${where} is @personal(category: "${cls.category}") but its column ${backing[0]} is inventoried as "${backing[1].category}"`);
      } else if (backing?.[1].category) {
        problems.push(`${where} is @nonPersonal but its column ${backing[0]} is inventoried as personal ("${backing[1].category}")`);
      }
    }
  }
  for (const [type, fields] of classification) {
    if (backed.has(type)) continue;
    for (const [field, cls] of fields) if (cls.personal) problems.push(`${subgraph}: ${type}.${field} is @personal but no inventoried table backs ${type}`);
  }
  return problems;
}

/** Everything a subgraph's start checks about its privacy declarations: the SDL classification, the inventory itself, and the two against each other. */
export function lintSubgraphPrivacy(subgraph: string, doc: DocumentNode, inventory: SubgraphInventory): string[] {
  return [...lintClassification(subgraph, doc), ...lintInventory(subgraph, inventory), ...lintInventoryClassification(subgraph, doc, inventory)];
}
