import { createHmac } from 'node:crypto';
import type { ErasureCounts, PersonRef, RightsAnswers, RightsCall } from '../../privacy/rights/contract';
import { RightsCallError, type RightsTransport } from '../../privacy/rights/transport';

/** One row held by a fake subgraph: whose it is, and its personal values. */
export interface FakeRow {
  id: string;
  tenantId: string;
  subject: PersonRef;
  values: Record<string, string | null>;
  /** ANONYMIZE entities keep the row with its values nulled. */
  anonymized?: boolean;
}

export interface FakeEntity {
  entity: string;
  erase: 'DELETE_ROW' | 'ANONYMIZE';
  rows: FakeRow[];
}

const fingerprintOf = (value: string) => createHmac('sha256', 'fake-rights').update(value).digest('hex');

/**
 * Subgraphs that answer the rights contract from rows in memory, as the real ones do from their
 * inventories: for the orchestration's tests. `down` makes a subgraph fail every call;
 * `beforeCall` can hang or fail one chosen call; `calls` records every call made.
 */
export class FakeRightsSubgraphs implements RightsTransport {
  readonly calls: { subgraph: string; call: RightsCall }[] = [];
  readonly down = new Set<string>();
  beforeCall?: (subgraph: string, call: RightsCall) => Promise<void> | void;

  constructor(readonly data: Record<string, FakeEntity[]>) {}

  get subgraphs(): string[] {
    return Object.keys(this.data);
  }

  private mine(tenantId: string, subject: PersonRef, entity: FakeEntity): FakeRow[] {
    return entity.rows.filter((r) => r.tenantId === tenantId && r.subject.type === subject.type && r.subject.id === subject.id && !r.anonymized);
  }

  private entityOf(subgraph: string, name: string): FakeEntity {
    const entity = this.data[subgraph]!.find((e) => e.entity === name);
    if (!entity) throw new RightsCallError('UNKNOWN_ENTITY', subgraph);
    return entity;
  }

  async call<C extends RightsCall>(subgraph: string, call: C): Promise<RightsAnswers[C['op']]> {
    this.calls.push({ subgraph, call: JSON.parse(JSON.stringify(call)) });
    await this.beforeCall?.(subgraph, call);
    if (this.down.has(subgraph)) throw new RightsCallError('UNAVAILABLE', subgraph);
    const entities = this.data[subgraph];
    if (!entities) throw new RightsCallError('UNKNOWN_SUBGRAPH', subgraph);
    const answer = (value: unknown) => value as RightsAnswers[C['op']];
    switch (call.op) {
      case 'describe':
        return answer({ subgraph, entities: entities.map((e) => ({ entity: e.entity, erase: e.erase })) });
      case 'verify': {
        const matched = new Set<string>();
        for (const entity of entities) for (const row of this.mine(call.tenantId, call.subject, entity)) for (const [point, claimed] of Object.entries(call.claims)) if (claimed && row.values[point] === claimed) matched.add(point);
        return answer({ matched: [...matched], found: entities.some((e) => this.mine(call.tenantId, call.subject, e).length > 0) });
      }
      case 'export': {
        const rows = this.mine(call.tenantId, call.subject, this.entityOf(subgraph, call.entity)).sort((a, b) => (a.id < b.id ? -1 : 1));
        const start = call.cursor ? rows.findIndex((r) => r.id > call.cursor!) : 0;
        const page = start < 0 ? [] : rows.slice(start, start + call.limit);
        const next = start >= 0 && start + call.limit < rows.length ? page[page.length - 1]!.id : null;
        return answer({ entity: call.entity, rows: page.map((r) => ({ id: r.id, ...r.values })), next });
      }
      case 'dryRun':
        return answer({ subgraph, entities: entities.map((e) => this.counts(e, this.mine(call.tenantId, call.subject, e))) });
      case 'erase': {
        const entity = this.entityOf(subgraph, call.entity);
        const rows = this.mine(call.tenantId, call.subject, entity).sort((a, b) => (a.id < b.id ? -1 : 1));
        const page = rows.slice(0, call.limit);
        const counts = this.counts(entity, page);
        for (const row of page) {
          if (entity.erase === 'DELETE_ROW') entity.rows.splice(entity.rows.indexOf(row), 1);
          else {
            row.anonymized = true;
            for (const key of Object.keys(row.values)) row.values[key] = null;
          }
        }
        return answer({ counts, next: rows.length > call.limit ? page[page.length - 1]!.id : null });
      }
      case 'rectify': {
        const changed = [];
        for (const entity of entities)
          for (const row of this.mine(call.tenantId, call.subject, entity))
            for (const [column, value] of Object.entries(call.fields))
              if (column in row.values) {
                const before = row.values[column];
                row.values[column] = value;
                changed.push({ entity: entity.entity, column, beforeHash: before ? fingerprintOf(before) : null, afterHash: value ? fingerprintOf(value) : null });
              }
        return answer({ changed });
      }
      case 'fingerprints': {
        const prints = new Set<string>();
        for (const entity of entities) for (const row of this.mine(call.tenantId, call.subject, entity)) for (const value of Object.values(row.values)) if (value) prints.add(fingerprintOf(value));
        return answer({ fingerprints: [...prints] });
      }
      case 'sweep': {
        const wanted = new Set(call.fingerprints);
        const residue = [];
        for (const entity of entities) {
          const byColumn = new Map<string, number>();
          for (const row of entity.rows) if (row.tenantId === call.tenantId) for (const [column, value] of Object.entries(row.values)) if (value && wanted.has(fingerprintOf(value))) byColumn.set(column, (byColumn.get(column) ?? 0) + 1);
          for (const [column, rows] of byColumn) residue.push({ entity: entity.entity, column, rows });
        }
        return answer({ residue });
      }
    }
    throw new RightsCallError('BAD_REQUEST', subgraph);
  }

  private counts(entity: FakeEntity, rows: FakeRow[]): ErasureCounts {
    const values = rows.reduce((n, r) => n + Object.values(r.values).filter((v) => v !== null).length, 0);
    return { entity: entity.entity, deleted: entity.erase === 'DELETE_ROW' ? rows.length : 0, anonymized: entity.erase === 'ANONYMIZE' ? rows.length : 0, values, objects: 0 };
  }
}

/** A person held in four fake subgraphs: a profile, contacts they own, many call logs, many pings; plus another person's rows. */
export function fakeWorld(tenantId: string, person: PersonRef, other: PersonRef, options: { calls?: number; pings?: number } = {}): FakeRightsSubgraphs {
  const row = (id: string, subject: PersonRef, values: Record<string, string | null>): FakeRow => ({ id, tenantId, subject, values });
  const pad = (n: number) => String(n).padStart(6, '0');
  return new FakeRightsSubgraphs({
    accounts: [{ entity: 'User', erase: 'DELETE_ROW', rows: [row('u-1', person, { name: 'Asha Rao', email: 'asha@acme.test', phone: '+14155550101' }), row('u-2', other, { name: 'Ben Ode', email: 'ben@acme.test', phone: '+14155550102' })] }],
    contacts: [{ entity: 'Contact', erase: 'DELETE_ROW', rows: [row('c-1', person, { name: 'Asha Rao', email: 'asha@acme.test', ownerId: null }), row('c-2', other, { name: 'Ben Ode', email: 'ben@acme.test', ownerId: null })] }],
    calls: [
      {
        entity: 'CallLog',
        erase: 'ANONYMIZE',
        rows: [...Array.from({ length: options.calls ?? 25 }, (_, i) => row(`call-${pad(i)}`, person, { notes: `note ${i}`, counterpartyNumber: `+1415555${pad(i).slice(2)}` })), row('call-x', other, { notes: 'other', counterpartyNumber: '+14155559999' })],
      },
    ],
    location: [{ entity: 'LocationPing', erase: 'DELETE_ROW', rows: [...Array.from({ length: options.pings ?? 40 }, (_, i) => row(`ping-${pad(i)}`, person, { latitude: String(12 + i / 1000), longitude: '77.5' })), row('ping-x', other, { latitude: '1', longitude: '2' })] }],
  });
}
