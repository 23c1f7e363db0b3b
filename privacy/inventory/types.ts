import type { EntitySchema, EntityManager } from 'typeorm';
import type { Category, SubjectKind } from '../policy';
import type { ConsentSubjectType } from '../store/entities';

/**
 * The data inventory: for each table of a subgraph that holds personal data, which people its rows
 * are linked to and how, what each column is, how erasure treats it and how long rows are kept.
 * Declared as data beside each subgraph's entities (subgraphs/<name>/inventory.ts); the privacy
 * engine's subject specs, the classification lint and every data-subject right (export, erase,
 * rectify, fingerprints, sweep) are derived from it, so none of them can drift from the others.
 */

/** The two kinds of people the CRM holds data about. */
export type PersonType = ConsentSubjectType;

/**
 * How a row relates to a person:
 * - SUBJECT: the row is about that person (a user's profile, a contact, a user's ping or call);
 * - COUNTERPART: the other party of the row (a call's contact);
 * - OWNER: a user who merely relates to the row (a contact's owner); the row is about someone else.
 */
export type LinkRole = 'SUBJECT' | 'COUNTERPART' | 'OWNER';

/**
 * What erasing the linked person does to a row:
 * - DELETE_ROW: the row goes;
 * - ANONYMIZE: the row stays (a legal obligation, see EntityInventory.keptBecause) with its
 *   personal columns erased per their ColumnEntry.erase and the link replaced per `linkErasure`;
 * - UNLINK: the row is someone else's: only the link (and the columns derived from it) is cleared.
 */
export type LinkErasure = 'DELETE_ROW' | 'ANONYMIZE' | 'UNLINK';

export interface PersonLink {
  /** The column holding the person's id. */
  column: string;
  person: PersonType;
  role: LinkRole;
  /** The column may be null: a row about no one (a geofence that marks no contact's site). */
  optional?: true;
  onErase: LinkErasure;
  /** For ANONYMIZE and UNLINK: what the link column becomes (a per-person pseudonym keeps rows of one erased person groupable, never identifiable). */
  linkErasure?: 'NULL' | 'PSEUDONYMIZE';
  /** Columns whose value came through this link and are cleared with it (a contact's team is its owner's). */
  derived?: string[];
}

/**
 * How a column's value is erased when its row is kept: NULL, a per-person pseudonym, a fixed
 * replacement value (for a NOT NULL column), or KEEP (structural or needed by the obligation the
 * row is kept for: a call's time and length).
 */
export type ColumnErasure = 'NULL' | 'PSEUDONYMIZE' | 'KEEP' | { replaceWith: string };

/**
 * How a value is normalized before it is fingerprinted or compared: an email case-insensitively,
 * a phone number bare (spaces, dashes, dots, brackets dropped), a name or other text trimmed,
 * lower-cased and with runs of spaces collapsed.
 */
export type MatchKind = 'email' | 'phone' | 'name' | 'text';

export interface ColumnEntry {
  /** Fideslang category, the same as the backing GraphQL field's @personal; absent: not personal (ids, enums of state, timestamps of the record). */
  category?: Category;
  /** The GraphQL field this column backs when its name differs (a link column backs the link field); null: backs none. Default: the field of the same name. */
  field?: string | null;
  /** Erasure of the value when the row is kept (default NULL for personal columns, KEEP otherwise). */
  erase?: ColumnErasure;
  /**
   * The value identifies or singles out a person: it is fingerprinted (for the residue sweep and
   * the suppression list) and, for email, phone and name of the row's subject, compared by verify.
   * Values that many people share (a time zone, a disposition, a note template) are not.
   */
  match?: MatchKind;
  /** Whose value it is, by link column (default: the entity's SUBJECT link): a call's number is its contact's. */
  of?: string;
  /** The person may have it corrected (rectify). */
  rectifiable?: true;
  /** The column names a stored object (a recording) that erasure must delete too, by the named hook. */
  object?: string;
}

/** How long rows are kept (the retention run applies it; erasure applies regardless). */
export type Retention =
  /** Rows older than `days` by `column` are deleted; `setting` names the environment variable that changes the period. */
  | { kind: 'AGE'; column: string; days: number; setting?: string }
  /**
   * Kept while the account is open; `days` after it is closed it is purged as erasure does. The
   * account's state is `status.column`, since when `status.since`; an account `status.suspended`
   * for `suspendedDays` is closed (set to `status.closed`) by the retention run.
   */
  | { kind: 'ACCOUNT_CLOSED'; days: number; status: { column: string; since: string; closed: string; suspended: string }; suspendedDays: number }
  /** Kept while the tenant's relationship with the person lasts, until erased. */
  | { kind: 'WHILE_NEEDED' }
  /** Kept (anonymized once a person is erased) for the period the controller's obligation sets; no period is enforced by the product. */
  | { kind: 'LEGAL_OBLIGATION' };

/** What the privacy engine reads of an entity with a GraphQL type (see privacy/enforcement/subject.ts). */
export interface EngineRelations {
  kind: SubjectKind;
  /** The user through whom a caller relates to the person (the person, or a contact's owner). */
  relatedUser?: string;
  /** That user's team. */
  team?: string;
  /** Compared with the user who installed the calling partner app. */
  installer?: string;
  /** The person's birth date (`YYYY-MM-DD`): a child is decided by it. */
  birthDate?: string;
  /** The row names a person whose age it cannot tell: decided as a child's (fail closed). */
  ageUnknown?: true;
  /** The row is an expired account when this column holds this value (a closed user account, readable by the user and the DPO only). */
  expiredWhen?: { column: string; equals: string };
}

export interface EntityInventory {
  /** The TypeORM entity: its name names the entity in the rights contract, its table and columns are checked against this entry. */
  schema: EntitySchema<any>;
  /** The GraphQL type its rows back, if any. */
  graphqlType?: string;
  /** What the privacy engine reads (types with personal fields only). */
  engine?: EngineRelations;
  links: PersonLink[];
  /** Every column of the table (the lint checks none is missing). */
  columns: Record<string, ColumnEntry>;
  /** Why rows are kept anonymized rather than deleted: the legal basis. */
  keptBecause?: string;
  retention: Retention;
}

/** A reference to one stored object to delete: the row and the column's value. */
export interface StoredObjectRef {
  rowId: string;
  value: string;
}

/** Deletes (or queues the deletion of) stored objects, in the erasure's transaction. */
export type StoredObjectHook = (tx: EntityManager, tenantId: string, objects: StoredObjectRef[]) => Promise<void>;

/**
 * Carries out up to `limit` queued deletions of stored objects of the tenant (the retention run
 * drains them), in the run's transaction; answers how many it marked done. `entity` names the
 * queue in the run's report.
 */
export interface StoredObjectDrain {
  entity: string;
  drain: (tx: EntityManager, tenantId: string, now: Date, limit: number) => Promise<number>;
}

export interface SubgraphInventory {
  /** Entities in the order erasure visits them. */
  entities: EntityInventory[];
  /** Hooks for the stored objects named by ColumnEntry.object. */
  objects?: Record<string, StoredObjectHook>;
  /** For each hook that queues deletions: how the retention run drains its queue. */
  objectDrains?: Record<string, StoredObjectDrain>;
}

/** The primary key and tenant columns every inventoried table has. */
export const PRIMARY_KEY = 'id';
export const TENANT_COLUMN = 'tenantId';

export const entityName = (entity: EntityInventory): string => entity.schema.options.name;
export const tableName = (entity: EntityInventory): string => entity.schema.options.tableName ?? entity.schema.options.name;

/** The link that says whom the row is about. */
export const subjectLink = (entity: EntityInventory): PersonLink | undefined => entity.links.find((link) => link.role === 'SUBJECT');

/** How a column is erased when its row is kept. */
export const columnErasure = (column: ColumnEntry): ColumnErasure => column.erase ?? (column.category ? 'NULL' : 'KEEP');
