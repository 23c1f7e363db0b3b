import Database from 'better-sqlite3';
import fc from 'fast-check';
import { renderCondition, type SqlCondition } from '../../privacy/enforcement/row-sql';
import { classesOf, PeopleFacts, type SubjectSpec } from '../../privacy/enforcement/subject';
import { TenantControls } from '../../privacy/store/controls';

/**
 * The SQL a row condition is written as (merged classes, shared terms hoisted) selects exactly the
 * rows of its classes: checked against the plain OR of every class, on random rows in SQLite.
 */
const spec: SubjectSpec = { kind: 'CONTACT', person: { type: 'CONTACT', column: 'id' }, relatedUser: 'ownerId', team: 'teamId', birthDate: 'birthDate' };
const caller = { role: 'ADMIN' as const, userId: 'u1', teamId: 't1' };
const people = new PeopleFacts(
  new TenantControls([
    { subjectType: 'CONTACT', subjectId: 'c2', control: 'RESTRICTION', purpose: '' },
    { subjectType: 'CONTACT', subjectId: 'c3', control: 'OBJECTION', purpose: 'MARKETING' },
  ]),
  'MARKETING',
  '2010-11-25',
);
const classes = classesOf(spec, caller, undefined, people);

const db = new Database(':memory:');
db.exec('CREATE TABLE e (id TEXT, ownerId TEXT, teamId TEXT, birthDate TEXT)');
const insert = db.prepare('INSERT INTO e VALUES (?, ?, ?, ?)');

/** Named parameters to positional ones, as the query builder does. */
function run({ sql, params }: SqlCondition): string[] {
  const values: unknown[] = [];
  const text = sql.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => (values.push(params[name]), '?'));
  return (db.prepare(`SELECT rowid FROM e WHERE ${text} ORDER BY rowid`).all(...values) as { rowid: number }[]).map((r) => String(r.rowid));
}

const row = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
  ownerId: fc.constantFrom(null, 'u1', 'u2'),
  teamId: fc.constantFrom(null, 't1', 't2'),
  birthDate: fc.constantFrom(null, '1990-01-01', '2010-11-25', '2012-05-01'),
});

describe('row conditions in SQL', () => {
  it('select exactly the rows of their classes, merged or not', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.subarray(classes, { minLength: 1 }), (rows, passing) => {
        db.exec('DELETE FROM e');
        for (const r of rows) insert.run(r.id, r.ownerId, r.teamId, r.birthDate);
        const written = renderCondition({ kind: 'classes', classes: passing }, spec, 'e', caller, undefined, people);
        const plain = passing.map((cls) => renderCondition({ kind: 'classes', classes: [cls] }, spec, 'e', caller, undefined, people));
        const union = { sql: plain.map((c) => c.sql).join(' OR '), params: Object.assign({}, ...plain.map((c) => c.params)) };
        expect(run(written)).toEqual(run(union));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('test only what the decision depends on: the owner’s rows need no age test when both ages pass', () => {
    const own = classes.filter((cls) => cls.relation === 'SELF' && !cls.restricted && !cls.objected);
    expect(own.length).toBe(2);
    const { sql } = renderCondition({ kind: 'classes', classes: own }, spec, 'e', caller, undefined, people);
    expect(sql).not.toContain('birthDate');
    expect(sql).toContain('e.ownerId = :privacyCallerUser');
  });
});
