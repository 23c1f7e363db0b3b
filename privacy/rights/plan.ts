import type { NewStep } from './requests';
import type { PrivacyRequestRow, RequestType } from '../store/rights-entities';

/** Phases: a step starts only once every step of an earlier phase of its request is DONE. */
export const PHASE = {
  /** Before anything changes: fingerprints and the dry run of an erasure, a rectification, a control. */
  PREPARE: 0,
  /** Each subgraph says which entities it holds personal data in. */
  DESCRIBE: 1,
  /** Entity steps inserted by DESCRIBE: phase ENTITIES + the entity's position in its subgraph's order. */
  ENTITIES: 10,
  /** After every subgraph: suppression, the document, the totals. */
  FINALIZE: 1000,
} as const;

/** The local "subgraph" of steps that work on the privacy store itself. */
export const LOCAL = 'privacy';

/** The first steps of a request of each type, over the subgraphs the transport reaches. */
export function initialSteps(type: RequestType, subgraphs: readonly string[]): NewStep[] {
  const each = (phase: number, action: NewStep['action']) => subgraphs.map((subgraph) => ({ phase, subgraph, entity: '', action }));
  const finalize: NewStep = { phase: PHASE.FINALIZE, subgraph: LOCAL, entity: '', action: 'FINALIZE' };
  switch (type) {
    case 'ACCESS':
    case 'EXPORT':
      return [...each(PHASE.DESCRIBE, 'DESCRIBE'), finalize];
    case 'ERASE':
      return [
        ...each(PHASE.PREPARE, 'FINGERPRINTS'),
        ...each(PHASE.PREPARE, 'DRY_RUN'),
        ...each(PHASE.DESCRIBE, 'DESCRIBE'),
        { phase: PHASE.FINALIZE - 1, subgraph: LOCAL, entity: '', action: 'SUPPRESS' },
        finalize,
      ];
    case 'RECTIFY':
      return [...each(PHASE.PREPARE, 'RECTIFY'), finalize];
    case 'RESTRICT':
    case 'LIFT_RESTRICTION':
    case 'OBJECT':
      return [{ phase: PHASE.PREPARE, subgraph: LOCAL, entity: '', action: 'CONTROL' }, finalize];
  }
}

/** The entity steps a DESCRIBE answer asks for: export every entity, or erase them in the subgraph's order. */
export function entitySteps(request: Pick<PrivacyRequestRow, 'type'>, subgraph: string, entities: readonly { entity: string }[]): NewStep[] {
  if (request.type === 'ERASE') return entities.map((e, index) => ({ phase: PHASE.ENTITIES + index, subgraph, entity: e.entity, action: 'ERASE' }));
  if (request.type === 'ACCESS' || request.type === 'EXPORT') return entities.map((e) => ({ phase: PHASE.ENTITIES, subgraph, entity: e.entity, action: 'EXPORT' }));
  return [];
}
