import { getNamedType, isEnumType, isObjectType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import type { Classification } from '../classification';
import type { Decision } from '../decide';
import type { Category, Effect } from '../policy';
import { effectsFor, type Applied, type ValueType } from '../strategies';

/** A personal field as the engine decides it: numbered once when a subgraph's rules are built. */
export interface DecidedField {
  /** Dense, from 0: memo keys are derived from it (see subject.ts SLOT_COUNT). */
  id: number;
  /** "Type.field", as the audit names it. */
  name: string;
  typeName: string;
  fieldName: string;
  category: Category;
  valueType: ValueType;
  /** What each decided effect becomes for this field's type (a link cannot be masked: it is withheld). */
  effects: Record<Effect, Applied>;
  /**
   * The decision as applied: the same reason with the effect actually used. Memoized per
   * decision object, so notices still group and memoize by identity.
   */
  applied(decision: Decision): Decision;
}

function valueTypeOf(type: GraphQLNamedType): ValueType {
  if (isEnumType(type)) return 'Enum';
  if (isObjectType(type)) return 'Link';
  switch (type.name) {
    case 'String':
    case 'ID':
      return 'String';
    case 'DateTime':
    case 'Float':
    case 'Int':
    case 'Boolean':
      return type.name;
    default:
      // A custom scalar the registry does not know: it can be shown in full or withheld only.
      return 'Link';
  }
}

/** Every personal field of a subgraph's schema, keyed "Type.field". */
export function personalFields(schema: GraphQLSchema, classification: Classification): Map<string, DecidedField> {
  const fields = new Map<string, DecidedField>();
  for (const [typeName, classes] of classification) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const [fieldName, cls] of classes) {
      if (!cls.personal) continue;
      const definition = type.getFields()[fieldName];
      if (!definition) continue;
      const valueType = valueTypeOf(getNamedType(definition.type));
      const name = `${typeName}.${fieldName}`;
      const effects = effectsFor({ name, category: cls.category, valueType, strategy: cls.strategy });
      const appliedOf = new Map<Decision, Decision>();
      fields.set(name, {
        id: fields.size,
        name,
        typeName,
        fieldName,
        category: cls.category,
        valueType,
        effects,
        applied(decision) {
          const effect = effects[decision.effect].effect;
          if (effect === decision.effect) return decision;
          let applied = appliedOf.get(decision);
          if (!applied) appliedOf.set(decision, (applied = Object.freeze({ effect, reason: decision.reason })));
          return applied;
        },
      });
    }
  }
  return fields;
}
