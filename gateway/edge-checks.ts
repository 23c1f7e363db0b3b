import { INTROSPECTION_MAX_DEPTH, isIntrospectionOnly } from './introspection';
import { createHash } from 'node:crypto';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../platform/errors';
import { currentCorrelationId, currentRequestId } from '../platform/request-id';
import type { Caller } from '../privacy/caller';
import type { Authenticator } from './auth';
import { establishCaller } from './caller';
import { httpStatusOf } from './errors';

export interface EdgeLimits {
  /** Lexical tokens the parser reads before it gives up (graphql-js `maxTokens`). */
  maxTokens: number;
  maxDepth: number;
  /** Aliases per operation, counting a fragment's aliases each time it is spread. */
  maxAliases: number;
  /** Directives per operation, counted the same way. */
  maxDirectives: number;
}

export interface EdgeCheckOptions {
  limits: EdgeLimits;
  /** False in production: `__schema`/`__type` are refused wherever they appear. */
  introspection: boolean;
  /** The API schema the gateway serves (undefined until loaded). */
  schema(): GraphQLSchema | undefined;
}

/** Without a token only `{ __typename }` is answered: its document is a handful of tokens, its body a few bytes. */
const ANONYMOUS_MAX_TOKENS = 32;
const ANONYMOUS_MAX_BODY_BYTES = 4096;

/** The caller this middleware established, read by the GraphQL context. */
export function callerOf(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const refuse = (message: string, code: string): never => {
  throw new Refusal(message, code);
};

/** One operation as the client sent it, in a POST body (single or batched) or a GET query string. */
interface OperationRequest {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

function operationsOf(req: Request): OperationRequest[] {
  if (req.method === 'GET') return [req.query as OperationRequest];
  if (Array.isArray(req.body)) return req.body as OperationRequest[];
  return [(req.body ?? {}) as OperationRequest];
}

function onlyTypename(document: DocumentNode): boolean {
  return document.definitions.every(
    (def) => def.kind === Kind.OPERATION_DEFINITION && def.operation === 'query' && def.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.directives?.length),
  );
}

/** The operation that will run: by name, or the only one. Apollo would answer these mistakes with a 500. */
function selectedOperation(document: DocumentNode, operationName: unknown): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  let operation: OperationDefinitionNode | undefined;
  if (typeof operationName === 'string' && operationName !== '') {
    operation = operations.find((o) => o.name?.value === operationName);
    if (!operation) refuse('The operationName names no operation of the document', 'OPERATION_RESOLUTION_FAILURE');
  } else {
    if (operations.length === 0) refuse('The document holds no operation', 'OPERATION_RESOLUTION_FAILURE');
    if (operations.length > 1) refuse('The document holds several operations: name the one to run in operationName', 'OPERATION_RESOLUTION_FAILURE');
    operation = operations[0];
  }
  if (operation!.operation === 'subscription') refuse('Subscriptions are not supported', ErrorCode.BAD_REQUEST);
  return operation!;
}

/** Runs one armor rule alone (cheap, linear in the document) and says whether it rejected. */
function rejects(schema: GraphQLSchema, document: DocumentNode, rule: (reject: () => void) => ValidationRule): boolean {
  let rejected = false;
  validate(schema, document, [rule(() => (rejected = true))]);
  return rejected;
}

/**
 * Checks the document against the limits before Apollo Server parses and validates it: parsing is
 * bounded by the token limit, and GraphQL validation (whose cost grows faster than the document)
 * only ever sees documents within the depth, alias and directive limits. Fragment spreads count
 * as expanded: a fragment spread five times counts its aliases five times.
 */
function checkDocument(query: string, operationName: unknown, options: EdgeCheckOptions): void {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: options.limits.maxTokens, noLocation: true });
  } catch (error) {
    const message = (error as Error).message;
    // graphql 16 words it "contains more that N tokens"; match either spelling.
    if (/contains more th\w+ \d+ tokens/.test(message)) refuse(`The operation has more than ${options.limits.maxTokens} tokens`, ErrorCode.QUERY_TOO_LARGE);
    refuse(message, 'GRAPHQL_PARSE_FAILED');
  }
  const operation = selectedOperation(document!, operationName);
  const schema = options.schema();
  if (!schema) refuse('The service is starting; try again shortly', ErrorCode.SERVICE_UNAVAILABLE);
  const { maxDepth, maxAliases, maxDirectives } = options.limits;
  const quiet = { exposeLimits: false, propagateOnRejection: false } as const;
  if (!options.introspection && validate(schema!, document!, [NoSchemaIntrospectionCustomRule]).length > 0) {
    refuse('Introspection is disabled on this server', ErrorCode.INTROSPECTION_DISABLED);
  }
  // Where introspection is allowed (development), an operation of introspection only may go as deep as the standard introspection query.
  const depthLimit = options.introspection && isIntrospectionOnly(operation.selectionSet, document!) ? Math.max(maxDepth, INTROSPECTION_MAX_DEPTH) : maxDepth;
  if (rejects(schema!, document!, (onReject) => maxDepthRule({ ...quiet, n: depthLimit, flattenFragments: true, ignoreIntrospection: false, onReject: [onReject] }))) {
    refuse(`The operation is nested deeper than ${depthLimit} fields`, ErrorCode.QUERY_TOO_DEEP);
  }
  if (rejects(schema!, document!, (onReject) => maxAliasesRule({ ...quiet, n: maxAliases, onReject: [onReject] }))) {
    refuse(`The operation uses more than ${maxAliases} aliases`, ErrorCode.TOO_MANY_ALIASES);
  }
  if (rejects(schema!, document!, (onReject) => maxDirectivesRule({ ...quiet, n: maxDirectives, onReject: [onReject] }))) {
    refuse(`The operation uses more than ${maxDirectives} directives`, ErrorCode.TOO_MANY_DIRECTIVES);
  }
}

/** An automatic persisted query must carry the SHA-256 of its own text. */
function checkPersistedQueryHash(operation: OperationRequest): void {
  const persisted = (operation.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (!persisted || typeof operation.query !== 'string') return;
  const expected = createHash('sha256').update(operation.query).digest('hex');
  if (persisted.sha256Hash !== expected) refuse('The persisted query hash does not match the query', ErrorCode.PERSISTED_QUERY_HASH_MISMATCH);
}

const answerRefusal = (res: Response, error: unknown) => {
  const { message, code } = error instanceof Refusal ? error : asRefusal(error);
  res.status(httpStatusOf(code)).json({ errors: [{ message, extensions: { code } }] });
};

/**
 * Documents that passed every check, so a client that sends the same operation again (the usual
 * case: apps send a fixed set) is not parsed and validated again. Only passing documents are kept,
 * each within the token limit, at most PASSED_DOCUMENTS of them, the oldest dropped first; the
 * answer depends on nothing but the text, the operation name and the schema, which resets it.
 */
const PASSED_DOCUMENTS = 1000;
class PassedDocuments {
  private readonly keys = new Set<string>();
  private schema: unknown;

  private keyOf(query: string, operationName: unknown): string {
    return `${typeof operationName === 'string' ? operationName : ''}\u0000${query}`;
  }

  has(query: string, operationName: unknown, schema: unknown): boolean {
    if (schema !== this.schema) {
      this.keys.clear();
      this.schema = schema;
    }
    return this.keys.has(this.keyOf(query, operationName));
  }

  add(query: string, operationName: unknown, schema: unknown): void {
    if (schema !== this.schema || !schema) return;
    const key = this.keyOf(query, operationName);
    if (this.keys.size >= PASSED_DOCUMENTS) this.keys.delete(this.keys.values().next().value!);
    this.keys.add(key);
  }
}

/**
 * First of the edge checks, before the body is even read: the token (401) and the declared
 * purpose. An anonymous request may only be `{ __typename }`, so a body announced larger than a
 * few KB is refused unread.
 */
export function authenticateAtEdge(authenticator: Authenticator): RequestHandler {
  return async (req, res, next) => {
    try {
      const identity = await authenticator.authenticate(req.header('authorization'));
      if (!identity) {
        if (Number(req.header('content-length') ?? 0) > ANONYMOUS_MAX_BODY_BYTES) throw new Refusal('Authentication required', ErrorCode.UNAUTHENTICATED);
        return next();
      }
      const correlationId = currentCorrelationId();
      const caller = establishCaller(identity, req.header('x-purpose'), currentRequestId() ?? 'unknown');
      res.locals.caller = correlationId ? { ...caller, correlationId } : caller;
      next();
    } catch (error) {
      answerRefusal(res, error);
    }
  };
}

/**
 * The checks every operation passes, once the body is read and before any GraphQL work: the
 * persisted-query hash, the token limit, which operation runs, introspection, depth, aliases and
 * directives. Without a caller only `{ __typename }` gets through, after reading at most a few
 * dozen tokens. A refusal answers with its code and the HTTP status of the README's error table.
 */
export function checkOperations(options: EdgeCheckOptions): RequestHandler {
  const passed = new PassedDocuments();
  return (req, res, next) => {
    try {
      const identity = callerOf(res);
      for (const operation of operationsOf(req)) {
        if (!identity) {
          if (typeof operation.query !== 'string') throw new Refusal('Authentication required', ErrorCode.UNAUTHENTICATED);
          let document: DocumentNode | undefined;
          try {
            document = parse(operation.query, { maxTokens: ANONYMOUS_MAX_TOKENS, noLocation: true });
          } catch {
            // Whatever it is, an anonymous caller may not send it.
          }
          if (!document || !onlyTypename(document)) throw new Refusal('Authentication required', ErrorCode.UNAUTHENTICATED);
          continue;
        }
        checkPersistedQueryHash(operation);
        if (typeof operation.query === 'string' && !passed.has(operation.query, operation.operationName, options.schema())) {
          checkDocument(operation.query, operation.operationName, options);
          passed.add(operation.query, operation.operationName, options.schema());
        }
      }
      next();
    } catch (error) {
      answerRefusal(res, error);
    }
  };
}

function asRefusal(error: unknown): { message: string; code: string } {
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') return { message: error.message, code: error.extensions.code };
  throw error;
}
