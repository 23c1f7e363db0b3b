import type { EntitySchemaColumnOptions } from 'typeorm';
import type { TableColumnOptions } from 'typeorm';

/**
 * Column shapes shared by entities and migrations, so both dialects (MySQL, SQLite) get the same
 * types and the entity never drifts from the table.
 */
export const idColumn: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
export const refColumn = (nullable = false): EntitySchemaColumnOptions => ({ type: 'varchar', length: 36, nullable });
export const textColumn = (length: number, nullable = false): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable });
export const dateColumn = (nullable = false): EntitySchemaColumnOptions => ({ type: 'datetime', nullable });

export const tableId = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
export const tableRef = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
export const tableText = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const tableDate = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
