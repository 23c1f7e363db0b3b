import { EntitySchema } from 'typeorm';
import { tenantCountEntity } from '../../platform/tenant-counters';
import { dateColumn, idColumn, refColumn, textColumn } from '../../platform/columns';

export type LeadSource = 'WEBSITE' | 'ADS' | 'REFERRAL' | 'CALL_LOG' | 'PARTNER' | 'IMPORT';
export type ContactStage = 'LEAD' | 'QUALIFIED' | 'CUSTOMER' | 'CHURNED';

export interface ContactRow {
  id: string;
  tenantId: string;
  ownerId: string | null;
  /** The owner's team, kept with the contact (the privacy policy reads it). */
  teamId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  address: string | null;
  /** Calendar date `YYYY-MM-DD`, when known: a contact under 16 is a child (privacy/policy.ts). */
  birthDate: string | null;
  source: LeadSource;
  stage: ContactStage;
  lastSpokenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ContactEntity = new EntitySchema<ContactRow>({
  name: 'Contact',
  tableName: 'contacts',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    ownerId: refColumn(true),
    teamId: refColumn(true),
    name: textColumn(200),
    email: textColumn(254, true),
    phone: textColumn(20, true),
    company: textColumn(200, true),
    address: textColumn(500, true),
    birthDate: textColumn(10, true),
    source: textColumn(16),
    stage: textColumn(16),
    lastSpokenAt: dateColumn(true),
    createdAt: dateColumn(),
    updatedAt: dateColumn(),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_contacts_tenant_name_id', columns: ['tenantId', 'name', 'id'] },
    { name: 'IDX_contacts_tenant_owner_name_id', columns: ['tenantId', 'ownerId', 'name', 'id'] },
    { name: 'IDX_contacts_tenant_phone', columns: ['tenantId', 'phone'] },
    { name: 'IDX_contacts_tenant_email', columns: ['tenantId', 'email'] },
    { name: 'IDX_contacts_tenant_team', columns: ['tenantId', 'teamId'] },
    { name: 'IDX_contacts_tenant_birth_date', columns: ['tenantId', 'birthDate'] },
  ],
});

/** Exact contact count per tenant, kept by triggers: `totalCount` without a scan. */
export const ContactCountEntity = tenantCountEntity('ContactCount', 'contact_counts', ContactEntity);

/** The contact fields a search looks in, under these names in the search index (search-index.ts). */
export const SEARCHED_FIELDS = ['name', 'email', 'phone', 'company'] as const;
export type SearchedField = (typeof SEARCHED_FIELDS)[number];

/** Longest word kept in the search index, in characters: a longer word is indexed, and searched, by its first 64. */
export const MAX_WORD_LENGTH = 64;

/** One word of one searched field of one contact. */
export interface ContactSearchTokenRow {
  contactId: string;
  field: SearchedField;
  token: string;
  tenantId: string;
}

export const ContactSearchTokenEntity = new EntitySchema<ContactSearchTokenRow>({
  name: 'ContactSearchToken',
  tableName: 'contact_search_tokens',
  columns: {
    contactId: { ...refColumn(), primary: true },
    field: { ...textColumn(16), primary: true },
    token: { ...textColumn(MAX_WORD_LENGTH), primary: true },
    tenantId: refColumn(),
  },
  indices: [{ name: 'IDX_contact_search_tokens_lookup', columns: ['tenantId', 'field', 'token', 'contactId'] }],
});

/** Contacts written since they were last indexed (marked by triggers, whoever wrote them). */
export interface ContactSearchPendingRow {
  tenantId: string;
  contactId: string;
}

export const ContactSearchPendingEntity = new EntitySchema<ContactSearchPendingRow>({
  name: 'ContactSearchPending',
  tableName: 'contact_search_pending',
  columns: { tenantId: { ...refColumn(), primary: true }, contactId: { ...refColumn(), primary: true } },
});

export const contactEntities = [ContactEntity, ContactCountEntity, ContactSearchTokenEntity, ContactSearchPendingEntity];
