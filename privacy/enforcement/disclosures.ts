import type { Effect } from '../policy';
import { subjectKey, type ConsentSubject } from '../store/consents';

/**
 * What one request of an audited caller was shown, gathered while the response is resolved and
 * written once, as one audit record, when it is sent: per field, how many values went out under
 * which effect; and whose data they were.
 */
export class DisclosureLog {
  private readonly fields = new Map<string, Partial<Record<Effect, number>>>();
  private readonly people = new Map<string, ConsentSubject>();

  get isEmpty(): boolean {
    return this.fields.size === 0;
  }

  add(field: string, effect: Effect, ...subjects: (ConsentSubject | undefined)[]): void {
    let counts = this.fields.get(field);
    if (!counts) this.fields.set(field, (counts = {}));
    counts[effect] = (counts[effect] ?? 0) + 1;
    for (const subject of subjects) if (subject) this.people.set(subjectKey(subject), subject);
  }

  /** The record's detail: fields in name order, so equal disclosures read the same. */
  detail(): string {
    return JSON.stringify({ fields: Object.fromEntries([...this.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) });
  }

  subjects(): ConsentSubject[] {
    return [...this.people.values()];
  }
}
