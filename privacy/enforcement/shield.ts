import {
  Kind,
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';
import { applyMiddleware, middleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IFallbackErrorMapperType, IRules } from 'graphql-shield/typings/types';
import { childLogger } from '../../platform/logger';
import { ROOT_TYPES, type Classification } from '../classification';
import type { Decision } from '../decide';
import type { Category } from '../policy';
import { personalFields, type DecidedField } from './fields';
import type { PrivacyRequest } from './request';

const log = childLogger('privacy');

/** Resolver context of a subgraph whose schema is protected: it carries the request's engine. */
export interface PrivacyAwareContext {
  privacyRequest: PrivacyRequest;
}

/** How the rules run: `compiled` (default) or graphql-shield's own executor (`shield`). */
export type PrivacyEngine = 'compiled' | 'shield';

/** Federation's own fields: answered as they are (they carry no row data themselves). */
const FEDERATION_RULES = { Query: { _service: allow, _entities: allow }, _Service: { sdl: allow } };

/** Fields whose every value is withheld because nothing classifies them (the lint refuses such a schema; this is the second lock). */
const UNCLASSIFIED: Decision = Object.freeze({ effect: 'WITHHOLD', reason: 'UNCLASSIFIED' });

/**
 * The permissions of one subgraph, generated from its SDL classification and the policy: a
 * graphql-shield rule on every personal field, decided per row (a decision is reused only for rows
 * whose subject facts and consents are the same), `allow` on fields classified non-personal and on
 * federation's fields, `deny` as the fallback for anything else — an unclassified field of any
 * type is never served.
 */
export function buildPermissions(schema: GraphQLSchema, classification: Classification) {
  const rules: Record<string, Record<string, unknown>> = { ...FEDERATION_RULES };
  const personal = personalFields(schema, classification);
  for (const [typeName, classes] of classification) {
    if (typeName in FEDERATION_RULES) continue;
    const typeRules: Record<string, unknown> = {};
    for (const [field, cls] of classes) {
      if (!cls.personal) {
        typeRules[field] = allow;
        continue;
      }
      const decided = personal.get(`${typeName}.${field}`);
      if (!decided) continue;
      typeRules[field] = rule(`privacy:${typeName}.${field}`, { cache: 'no_cache' })(async (parent: Record<string, unknown>, _args: unknown, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
        const decision = decided.applied(await context.privacyRequest.decide(decided, parent));
        context.privacyRequest.remember(parent, field, decision);
        // A link is computed by its resolver, after this rule: counted whenever it may be shown (the audit errs on the side of more).
        if (context.privacyRequest.disclosures && (parent[info.fieldName] != null || decided.valueType === 'Link')) context.privacyRequest.disclosed(decided, parent, decision);
        if (decision.effect !== 'FULL') context.privacyRequest.notice(info.path, decision);
        // A link shown in a generalized view is the link itself: its resolver runs.
        return decision.effect === 'FULL' || (decided.valueType === 'Link' && decision.effect !== 'WITHHOLD');
      });
    }
    rules[typeName] = typeRules;
  }
  // Root fields are entry points (their arguments are channels the engine governs in SQL).
  for (const root of ROOT_TYPES) {
    const type = schema.getType(root);
    if (isObjectType(type)) rules[root] = { ...Object.fromEntries(Object.keys(type.getFields()).map((f) => [f, allow])), ...(rules[root] ?? {}) };
  }
  return { rules: rules as IRules, personal };
}

/** The value of a personal field under a decision other than FULL (always valid for its type). */
function hiddenValue(decision: Decision, field: DecidedField, parent: Record<string, unknown>, info: GraphQLResolveInfo, context: PrivacyAwareContext): unknown {
  return context.privacyRequest.show(field, parent, decision, parent[info.fieldName]);
}

/** Fail closed: a rule that throws withholds the value and says so. */
function failClosed(error: unknown, info: GraphQLResolveInfo, context: PrivacyAwareContext): null {
  log.error({ field: `${info.parentType.name}.${info.fieldName}`, err: { name: (error as Error)?.name } }, 'privacy rule failed');
  context.privacyRequest.notice(info.path, { effect: 'WITHHOLD', reason: 'POLICY_ERROR' });
  return null;
}

/**
 * graphql-shield's own executor: every rule runs through shield's async middleware; a denied
 * personal field gets its masked value through fallbackError. Shield wraps every field of the
 * schema; wrappers of fields whose rule is the constant `allow` are dropped from its generated
 * middleware, as they only add latency.
 */
function applyWithShield(schema: GraphQLSchema, { rules, personal }: ReturnType<typeof buildPermissions>): GraphQLSchema {
  const isClassified = (typeName: string, field: string): boolean => typeName.startsWith('__') || (rules as Record<string, Record<string, unknown>>)[typeName]?.[field] !== undefined;
  const permissions = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: false,
    fallbackError: ((error: unknown, parent: Record<string, unknown>, _args: unknown, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
      const field = personal.get(`${info.parentType.name}.${info.fieldName}`);
      if (!field && !error) {
        context.privacyRequest.notice(info.path, UNCLASSIFIED);
        return null;
      }
      const decision = context.privacyRequest.recall(parent, info.fieldName);
      if (error || !field || !decision) return failClosed(error ?? new Error('no decision'), info, context);
      return hiddenValue(decision, field, parent, info, context);
      // shield types fallbackError as producing an Error; at run time its return value is the field's value
    }) as unknown as IFallbackErrorMapperType,
  });
  const personalOnly = middleware((target: GraphQLSchema) => {
    const generated = permissions.generate(target) as IMiddlewareTypeMap;
    const pruned: IMiddlewareTypeMap = {};
    for (const [typeName, fields] of Object.entries(generated)) {
      // Personal fields, and fields nothing classifies (their rule is the deny fallback).
      const kept = Object.fromEntries(Object.entries(fields as object).filter(([field]) => personal.has(`${typeName}.${field}`) || !isClassified(typeName, field)));
      if (Object.keys(kept).length > 0) pruned[typeName] = kept;
    }
    return pruned;
  });
  return applyMiddleware(schema, personalOnly);
}

/**
 * The same rules, compiled onto the personal fields' resolvers: a decision that needs no I/O is
 * made synchronously and the field stays on graphql-js's synchronous path; only a decision that
 * waits for consents returns a promise. Fields without a rule are not touched.
 */
function applyCompiled(schema: GraphQLSchema, { rules, personal }: ReturnType<typeof buildPermissions>): GraphQLSchema {
  denyUnclassified(schema, rules as Record<string, Record<string, unknown>>);
  preloadConsentsForLists(schema, personal);
  for (const field of personal.values()) {
    const { typeName, fieldName } = field;
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const definition = type.getFields()[fieldName]!;
    // Most personal fields are plain columns: read them directly rather than through graphql-js's default resolver.
    const resolve: GraphQLFieldResolver<any, any> | undefined = definition.resolve;
    /** What the caller is shown of a value the resolver produced, under a decision other than WITHHOLD. */
    const shown = (decision: Decision, parent: any, value: unknown, context: PrivacyAwareContext): unknown => {
      // Only audited callers pay for counting what they are shown (a null value shows nothing).
      if (context.privacyRequest.disclosures && value != null) context.privacyRequest.disclosed(field, parent, decision);
      return decision.effect === 'FULL' ? value : context.privacyRequest.show(field, parent, decision, value);
    };
    const outcome = (made: Decision, parent: any, args: any, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
      // The decision as applied to this field's type (a link cannot be masked: it is withheld).
      const decision = field.applied(made);
      if (decision.effect !== 'FULL') context.privacyRequest.notice(info.path, decision);
      // Nothing of a withheld value is computed: its resolver (a signed link, a reference) never runs.
      if (decision.effect === 'WITHHOLD') return null;
      const value = resolve ? resolve(parent, args, context, info) : parent[fieldName];
      return isPromise(value) ? value.then((v) => shown(decision, parent, v, context)) : shown(decision, parent, value, context);
    };
    definition.resolve = (parent, args, context: PrivacyAwareContext, info) => {
      try {
        const decision = context.privacyRequest.decide(field, parent);
        if (decision instanceof Promise) {
          return decision.then((d) => outcome(d, parent, args, context, info), (error: unknown) => failClosed(error, info, context));
        }
        return outcome(decision, parent, args, context, info);
      } catch (error) {
        return failClosed(error, info, context);
      }
    };
  }
  return schema;
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | undefined)?.then === 'function';

/** The compiled executor's second lock: a field of an object type that nothing classifies resolves to null. */
function denyUnclassified(schema: GraphQLSchema, rules: Record<string, Record<string, unknown>>): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === '_Service') continue;
    for (const [name, definition] of Object.entries(type.getFields())) {
      if (rules[type.name]?.[name] !== undefined) continue;
      log.error({ field: `${type.name}.${name}` }, 'unclassified field withheld');
      definition.resolve = (_parent, _args, context: PrivacyAwareContext, info) => {
        context.privacyRequest.notice(info.path, UNCLASSIFIED);
        return null;
      };
    }
  }
}

/** Names of the fields selected directly under a field (through inline fragments and fragment spreads). */
function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}

/**
 * Every field that returns rows of a type with personal fields (a list's `nodes`, `lastCall`, …)
 * loads the consents those rows may need — for the personal fields the operation selects — in one
 * batch before graphql-js descends into them, so those fields decide synchronously instead of each
 * waiting on its own promise.
 */
function preloadConsentsForLists(schema: GraphQLSchema, personal: ReadonlyMap<string, DecidedField>): void {
  const categoriesOf = new Map<string, Map<string, Category>>();
  for (const field of personal.values()) {
    if (!categoriesOf.has(field.typeName)) categoriesOf.set(field.typeName, new Map());
    categoriesOf.get(field.typeName)!.set(field.fieldName, field.category);
  }
  // The same field node is resolved once per parent row: work out its selected categories once.
  const selectedCategories = new WeakMap<readonly FieldNode[], Category[]>();
  const categoriesFor = (typeName: string, info: GraphQLResolveInfo): Category[] => {
    let categories = selectedCategories.get(info.fieldNodes);
    if (!categories) {
      const byField = categoriesOf.get(typeName)!;
      categories = [...selectedFields(info)].flatMap((name) => (byField.has(name) ? [byField.get(name)!] : []));
      selectedCategories.set(info.fieldNodes, categories);
    }
    return categories;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const definition of Object.values(type.getFields())) {
      const target = getNamedType(definition.type).name;
      if (!categoriesOf.has(target)) continue;
      const resolve: GraphQLFieldResolver<any, any> = definition.resolve ?? defaultFieldResolver;
      const withConsents = (value: unknown, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
        if (value === null || value === undefined || !context.privacyRequest.mayNeedConsents(categoriesFor(target, info))) return value;
        const rows = (Array.isArray(value) ? value : [value]).filter((row): row is object => typeof row === 'object' && row !== null);
        const pending = context.privacyRequest.preload(target, categoriesFor(target, info), rows);
        return pending ? pending.then(() => value) : value;
      };
      definition.resolve = (parent, args, context: PrivacyAwareContext, info) => {
        const value = resolve(parent, args, context, info);
        return isPromise(value) ? value.then((v) => withConsents(v, context, info)) : withConsents(value, context, info);
      };
    }
  }
}

/** Protects a subgraph's schema with the permissions generated from its classification; returns it with its personal fields. */
export function protectSchema(schema: GraphQLSchema, classification: Classification, engine: PrivacyEngine = 'compiled'): { schema: GraphQLSchema; fields: ReadonlyMap<string, DecidedField> } {
  const permissions = buildPermissions(schema, classification);
  return { schema: engine === 'shield' ? applyWithShield(schema, permissions) : applyCompiled(schema, permissions), fields: permissions.personal };
}
