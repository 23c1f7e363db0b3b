import { columnErasure, entityName, PRIMARY_KEY, TENANT_COLUMN, type EntityInventory, type SubgraphInventory } from './types';

/** Room a pseudonym needs (`person_` and 16 characters). */
const PSEUDONYM_LENGTH = 23;

interface ColumnShape {
  nullable: boolean;
  length?: number;
  type: string;
}

function shapeOf(entity: EntityInventory, column: string): ColumnShape | undefined {
  const options = (entity.schema.options.columns as Record<string, { nullable?: boolean; length?: number | string; type?: unknown } | undefined>)[column];
  if (!options) return undefined;
  return { nullable: Boolean(options.nullable), length: options.length === undefined ? undefined : Number(options.length), type: String(options.type) };
}

/**
 * Checks an inventory against its own tables, so erasure can always do what it declares: every
 * column of the table is inventoried (and none that is not there), links and derived columns name
 * real columns, a kept row's erased columns can hold what erasure writes (NULL needs a nullable
 * column, a pseudonym room for one), a kept row gives its legal basis and changes its link (so a
 * second run finds nothing more), and each stored object has its hook. Returns one message per
 * problem; the start of the subgraph fails on any (privacy/classification.ts lintSubgraphPrivacy).
 */
export function lintInventory(subgraph: string, inventory: SubgraphInventory): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const entity of inventory.entities) {
    const name = entityName(entity);
    const at = (column?: string) => `${subgraph}: inventory ${name}${column ? `.${column}` : ''}`;
    if (names.has(name)) problems.push(`${at()} is declared twice`);
    names.add(name);
    const tableColumns = Object.keys(entity.schema.options.columns);
    for (const column of tableColumns) if (!(column in entity.columns)) problems.push(`${at(column)} is a column of the table with no inventory entry`);
    for (const column of Object.keys(entity.columns)) if (!tableColumns.includes(column)) problems.push(`${at(column)} is inventoried but the table has no such column`);
    for (const column of [PRIMARY_KEY, TENANT_COLUMN]) if (!tableColumns.includes(column)) problems.push(`${at()} has no ${column} column`);

    const keepsRows = entity.links.some((link) => link.onErase !== 'DELETE_ROW');
    const anonymizes = entity.links.some((link) => link.onErase === 'ANONYMIZE');
    if (anonymizes && !entity.keptBecause) problems.push(`${at()} keeps rows anonymized without saying why (keptBecause)`);
    if (entity.links.filter((link) => link.role === 'SUBJECT').length > 1) problems.push(`${at()} has more than one SUBJECT link`);
    for (const link of entity.links) {
      const shape = shapeOf(entity, link.column);
      if (!shape) {
        problems.push(`${at(link.column)} is a link to a column the table does not have`);
        continue;
      }
      if (link.onErase !== 'DELETE_ROW') {
        if (!link.linkErasure) problems.push(`${at(link.column)} keeps its row on erasure but does not say what the link becomes (linkErasure)`);
        if (link.linkErasure === 'NULL' && !shape.nullable) problems.push(`${at(link.column)} is nulled on erasure but is NOT NULL`);
        if (link.linkErasure === 'PSEUDONYMIZE' && (shape.length ?? 0) < PSEUDONYM_LENGTH) problems.push(`${at(link.column)} is too short for a pseudonym`);
      }
      for (const derived of link.derived ?? []) {
        const derivedShape = shapeOf(entity, derived);
        if (!derivedShape) problems.push(`${at(derived)} is derived from ${link.column} but the table has no such column`);
        else if (!derivedShape.nullable) problems.push(`${at(derived)} is cleared with ${link.column} but is NOT NULL`);
      }
    }
    for (const [column, entry] of Object.entries(entity.columns)) {
      const shape = shapeOf(entity, column);
      if (!shape) continue;
      if (entry.of && !entity.links.some((link) => link.column === entry.of)) problems.push(`${at(column)} is said to be of "${entry.of}", which is no link`);
      if (entry.object && !inventory.objects?.[entry.object]) problems.push(`${at(column)} names stored object "${entry.object}" with no hook`);
      if ((entry.match || entry.rectifiable || entry.object) && !entry.category) problems.push(`${at(column)} is matched, rectifiable or an object but has no category`);
      if (!anonymizes || !entry.category) continue;
      const erase = columnErasure(entry);
      if (erase === 'NULL' && !shape.nullable) problems.push(`${at(column)} is nulled when its row is kept but is NOT NULL (make it nullable or give a replacement value)`);
      if (erase === 'PSEUDONYMIZE' && (shape.length ?? 0) < PSEUDONYM_LENGTH) problems.push(`${at(column)} is too short for a pseudonym`);
      if (entry.object && erase === 'KEEP') problems.push(`${at(column)} keeps a stored object's key on erasure`);
    }
    if (!keepsRows && entity.keptBecause) problems.push(`${at()} gives a reason to keep rows (keptBecause) but deletes them`);
    if (entity.retention.kind === 'AGE' && !shapeOf(entity, entity.retention.column)) problems.push(`${at(entity.retention.column)} dates the retention but the table has no such column`);
  }
  return problems;
}
