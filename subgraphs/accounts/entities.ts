import { EntitySchema } from 'typeorm';
import { tenantCountEntity } from '../../platform/tenant-counters';
import { dateColumn, idColumn, refColumn, textColumn } from '../../platform/columns';

export interface TenantRow {
  id: string;
  name: string;
  emailDomain: string;
  createdAt: Date;
}

export interface TeamRow {
  id: string;
  tenantId: string;
  name: string;
}

export type UserStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

export interface UserRow {
  id: string;
  tenantId: string;
  teamId: string | null;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  timezone: string;
  language: string;
  status: UserStatus;
  /** Since when the account is in its status (retention counts its periods from here). */
  statusSince: Date | null;
  createdAt: Date;
}

export const TenantEntity = new EntitySchema<TenantRow>({
  name: 'Tenant',
  tableName: 'tenants',
  columns: {
    id: idColumn,
    name: textColumn(200),
    emailDomain: textColumn(253),
    createdAt: dateColumn(),
  },
});

export const TeamEntity = new EntitySchema<TeamRow>({
  name: 'Team',
  tableName: 'teams',
  columns: { id: idColumn, tenantId: refColumn(), name: textColumn(200) },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [{ name: 'IDX_teams_tenant_name', columns: ['tenantId', 'name'] }],
});

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: idColumn,
    tenantId: refColumn(),
    teamId: refColumn(true),
    name: textColumn(200),
    email: textColumn(254),
    phone: textColumn(20, true),
    title: textColumn(120, true),
    timezone: textColumn(64),
    language: textColumn(35),
    status: textColumn(16),
    statusSince: dateColumn(true),
    createdAt: dateColumn(),
  },
  // The migrations create these; declared here so the entity reads as the table is.
  indices: [
    { name: 'IDX_users_tenant_name_id', columns: ['tenantId', 'name', 'id'] },
    { name: 'IDX_users_tenant_team_name_id', columns: ['tenantId', 'teamId', 'name', 'id'] },
    { name: 'UQ_users_tenant_email', columns: ['tenantId', 'email'], unique: true },
    { name: 'IDX_users_tenant_phone', columns: ['tenantId', 'phone'] },
    { name: 'IDX_users_tenant_status_id', columns: ['tenantId', 'status', 'id'] },
  ],
});

/** Exact user count per tenant, kept by triggers: `totalCount` without a scan. */
export const UserCountEntity = tenantCountEntity('UserCount', 'user_counts', UserEntity);

export const accountEntities = [TenantEntity, TeamEntity, UserEntity, UserCountEntity];
