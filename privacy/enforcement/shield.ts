import { isEnumType, getNamedType, isObjectType, responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { applyMiddleware, middleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IFallbackErrorMapperType, IRules } from 'graphql-shield/typings/types';
import { childLogger } from '../../platform/logger';
import type { Classification } from '../classification';
import type { Category } from '../policy';
import { applyEffect } from './apply-effect';
import type { PrivacyRequest } from './request';

const log = childLogger('privacy');

/** Resolver context of a subgraph whose schema is protected: it carries the request's engine. */
export interface PrivacyAwareContext {
  privacyRequest: PrivacyRequest;
}

/** Federation's own fields: answered as they are (they carry no row data themselves). */
const FEDERATION_RULES = { Query: { _service: allow, _entities: allow }, _Service: { sdl: allow } };

function personalFieldRule(typeName: string, field: string, category: Category) {
  // no_cache: the answer depends on the row (its subject), never reuse it for another row.
  return rule(`privacy:${typeName}.${field}`, { cache: 'no_cache' })(async (parent: object, _args: unknown, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
    const request = context.privacyRequest;
    const decision = await request.decide(typeName, parent, field, category);
    if (decision.effect === 'FULL') return true;
    request.notice(responsePathAsArray(info.path), decision);
    return false;
  });
}

/**
 * graphql-shield rules generated from the SDL classification and the policy: a policy rule on
 * every personal field, `allow` on every field classified non-personal and on structural types,
 * and `deny` as the fallback. A denied personal field gets its masked value (fallbackError is
 * where shield lets a denial become a value).
 *
 * Only the personal fields are wrapped: shield wraps every field of the schema in a promise, and a
 * field whose rule is the constant `allow` gains nothing from that but latency, so those wrappers
 * are dropped from shield's generated middleware.
 */
export function protectSchema(schema: GraphQLSchema, classification: Classification): GraphQLSchema {
  const rules: Record<string, Record<string, unknown>> = { ...FEDERATION_RULES };
  const categories = new Map<string, Category>();
  for (const [typeName, type] of Object.entries(schema.getTypeMap())) {
    if (!isObjectType(type) || typeName.startsWith('__') || typeName in FEDERATION_RULES) continue;
    const classes = classification.get(typeName);
    if (!classes) {
      rules[typeName] = { '*': allow };
      continue;
    }
    const typeRules: Record<string, unknown> = {};
    for (const [field, cls] of classes) {
      if (!cls.personal) typeRules[field] = allow;
      else {
        typeRules[field] = personalFieldRule(typeName, field, cls.category);
        categories.set(`${typeName}.${field}`, cls.category);
      }
    }
    rules[typeName] = typeRules;
  }

  const permissions = shield(rules as IRules, {
    fallbackRule: deny,
    allowExternalErrors: false,
    fallbackError: ((error: unknown, parent: Record<string, unknown>, _args: unknown, context: PrivacyAwareContext, info: GraphQLResolveInfo) => {
      const category = categories.get(`${info.parentType.name}.${info.fieldName}`);
      const decision = context.privacyRequest.recall(parent, info.fieldName);
      if (error || !category || !decision) {
        // Fail closed: an error in a rule or an unclassified field withholds the value.
        if (error) log.error({ field: `${info.parentType.name}.${info.fieldName}`, err: { name: (error as Error).name } }, 'privacy rule failed');
        context.privacyRequest.notice(responsePathAsArray(info.path), { effect: 'WITHHOLD', reason: 'POLICY_ERROR' });
        return null;
      }
      const named = getNamedType(info.returnType);
      return applyEffect(decision.effect, category, parent[info.fieldName], { field: info.fieldName, typeName: named.name, isEnum: isEnumType(named) }, context.privacyRequest.tenantKey);
      // shield types fallbackError as producing an Error; at run time its return value is the field's value
    }) as unknown as IFallbackErrorMapperType,
  });

  const personalOnly = middleware((target: GraphQLSchema) => {
    const generated = permissions.generate(target) as IMiddlewareTypeMap;
    const pruned: IMiddlewareTypeMap = {};
    for (const [typeName, fields] of Object.entries(generated)) {
      const kept = Object.fromEntries(Object.entries(fields as object).filter(([field]) => categories.has(`${typeName}.${field}`)));
      if (Object.keys(kept).length > 0) pruned[typeName] = kept;
    }
    return pruned;
  });
  return applyMiddleware(schema, personalOnly);
}
