import type { SubjectSpecs } from '../../privacy/enforcement/subject';
import { subjectSpecsOf } from '../../privacy/inventory/derive';
import { accountsInventory } from './inventory';

/** Whose data each type's rows are, derived from the data inventory (see inventory.ts). */
export const accountSubjects: SubjectSpecs = subjectSpecsOf(accountsInventory);
