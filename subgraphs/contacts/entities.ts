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
    source: textColumn(16),
    stage: textColumn(16),
    lastSpokenAt: dateColumn(true),
    createdAt: dateColumn(),
    updatedAt: dateColumn(),
  },
});

/** Exact contact count per tenant, kept by triggers: `totalCount` without a scan. */
export const ContactCountEntity = tenantCountEntity('ContactCount', 'contact_counts', ContactEntity);

export const contactEntities = [ContactEntity, ContactCountEntity];
