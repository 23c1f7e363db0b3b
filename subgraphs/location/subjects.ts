import type { SubjectSpecs } from '../../privacy/enforcement/subject';
import { subjectSpecsOf } from '../../privacy/inventory/derive';
import { locationInventory } from './inventory';

/** Whose data each type's rows are, derived from the data inventory (see inventory.ts). */
export const locationSubjects: SubjectSpecs = subjectSpecsOf(locationInventory);
