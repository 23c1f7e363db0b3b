import type { SubjectSpec, SubjectSpecs } from '../enforcement/subject';
import { subjectLink, type SubgraphInventory } from './types';

/**
 * The privacy engine's subject specs, read off the inventory: the person a row is about is its
 * SUBJECT link, the other party its COUNTERPART link, and the relation columns are the entity's
 * declared engine relations. One declaration, so a row the engine decides and a row a right
 * erases are linked to the same person by the same column.
 */
export function subjectSpecsOf(inventory: SubgraphInventory): SubjectSpecs {
  const specs: SubjectSpecs = {};
  for (const entity of inventory.entities) {
    if (!entity.graphqlType || !entity.engine) continue;
    const subject = subjectLink(entity);
    if (!subject) throw new Error(`inventory: ${entity.graphqlType} has engine relations but no SUBJECT link`);
    const { kind, relatedUser, team, installer, birthDate, ageUnknown, expiredWhen } = entity.engine;
    const counterpart = entity.links.find((link) => link.role === 'COUNTERPART');
    const spec: SubjectSpec = { kind, person: { type: subject.person, column: subject.column, ...(subject.optional ? { optional: true as const } : {}) } };
    if (relatedUser) spec.relatedUser = relatedUser;
    if (team) spec.team = team;
    if (counterpart) spec.counterpart = { type: counterpart.person, column: counterpart.column };
    if (installer) spec.installer = installer;
    if (birthDate) spec.birthDate = birthDate;
    if (ageUnknown) spec.ageUnknown = ageUnknown;
    if (expiredWhen) spec.expiredWhen = { ...expiredWhen };
    specs[entity.graphqlType] = spec;
  }
  return specs;
}
