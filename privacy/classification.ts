import { Kind, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { CATEGORIES, type Category } from './policy';

/** A field is personal data of one category, or plainly not personal. */
export type FieldClass = { personal: true; category: Category } | { personal: false };

/** Type name -> field name -> class, read from a subgraph's SDL. */
export type Classification = Map<string, Map<string, FieldClass>>;

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

function objectTypes(doc: DocumentNode): ObjectNode[] {
  return doc.definitions.filter((d): d is ObjectNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION);
}

function classOf(field: FieldDefinitionNode): FieldClass | undefined {
  for (const directive of field.directives ?? []) {
    if (directive.name.value === 'nonPersonal') return { personal: false };
    if (directive.name.value === 'personal') {
      const arg = directive.arguments?.find((a) => a.name.value === 'category');
      const category = arg?.value.kind === Kind.STRING ? arg.value.value : '';
      return { personal: true, category: category as Category };
    }
  }
  return undefined;
}

/** Reads `@personal(category:)` / `@nonPersonal` off every field of every object type. */
export function readClassification(doc: DocumentNode): Classification {
  const classification: Classification = new Map();
  for (const type of objectTypes(doc)) {
    const fields = classification.get(type.name.value) ?? new Map<string, FieldClass>();
    for (const field of type.fields ?? []) {
      const cls = classOf(field);
      if (cls) fields.set(field.name.value, cls);
    }
    if (fields.size > 0) classification.set(type.name.value, fields);
  }
  return classification;
}

/**
 * Every field of an entity type (and of any type holding personal data) must say what it is.
 * Returns one message per problem, naming the subgraph, type and field.
 */
export function lintClassification(subgraph: string, doc: DocumentNode): string[] {
  const problems: string[] = [];
  for (const type of objectTypes(doc)) {
    const isEntity = (type.directives ?? []).some((d) => d.name.value === 'key');
    const holdsPersonal = (type.fields ?? []).some((f) => classOf(f)?.personal);
    if (!isEntity && !holdsPersonal) continue;
    for (const field of type.fields ?? []) {
      const cls = classOf(field);
      const where = `${subgraph}: ${type.name.value}.${field.name.value}`;
      if (!cls) problems.push(`${where} is not classified: add @personal(category: "…") or @nonPersonal`);
      else if (cls.personal && !(CATEGORIES as readonly string[]).includes(cls.category)) {
        problems.push(`${where} has unknown category "${cls.category}" (known: ${CATEGORIES.join(', ')})`);
      }
    }
  }
  return problems;
}
