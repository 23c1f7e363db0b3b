import type { SubjectSpecs } from '../../privacy/enforcement/subject';
import { subjectSpecsOf } from '../../privacy/inventory/derive';
import { callsInventory } from './inventory';

/** Whose data each type's rows are, derived from the data inventory (see inventory.ts). */
export const callSubjects: SubjectSpecs = subjectSpecsOf(callsInventory);
