import fc from 'fast-check';
import { callerArb, pickArb, pickCall, pickContact, pickUser } from './arbitraries';
import { contactEffect, refusal, type ConsentPurpose, type LeakCaller } from './oracle';
import { check, personalIndex, personalValuesIn, readRow, requestProblems, rowLabel, who, type RowKind, type RowReading } from './probes';
import { piecesFound, secretPieces, valueProblem } from './shapes';
import { startWorld, type World } from './world';

/**
 * Leak properties about values: what each field answers (after consent changes made through the
 * API), what a consent-based purpose adds (nothing), pseudonyms, and error messages.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 120_000);
afterAll(() => world?.close());

const ROW_KINDS: RowKind[] = ['User', 'Contact', 'CallLog', 'Ping'];

/** The row a generated pick names, as the id readRow wants (a ping is read through its user). */
function rowFor(caller: LeakCaller, kind: RowKind, pick: { closeness: 'self' | 'team' | 'other' | 'foreign'; index: number }) {
  if (kind === 'Contact') return pickContact(world, caller, pick);
  if (kind === 'CallLog') return pickCall(world, caller, pick);
  return pickUser(world, caller, pick);
}

/** The consents that can change what a caller sees of a row: whose, and for which purpose. */
function consentsAbout(kind: RowKind, row: any): { type: 'USER' | 'CONTACT'; id: string; purpose: ConsentPurpose }[] {
  switch (kind) {
    case 'User':
    case 'Ping':
      return (['LOCATION_TRACKING', 'ANALYTICS', 'MARKETING'] as const).map((purpose) => ({ type: 'USER', id: row.id, purpose }));
    case 'Contact':
      return (['PARTNER_SHARING', 'MARKETING', 'ANALYTICS', 'CALL_RECORDING'] as const).map((purpose) => ({ type: 'CONTACT', id: row.id, purpose }));
    case 'CallLog':
      return [
        ...(row.contactId ? [{ type: 'CONTACT' as const, id: row.contactId as string, purpose: 'CALL_RECORDING' as const }] : []),
        ...(['ANALYTICS', 'MARKETING'] as const).map((purpose) => ({ type: 'USER' as const, id: row.userId as string, purpose })),
      ];
  }
}

/** Everything wrong with one reading: values against the oracle and the documented shapes, links, hidden pieces. */
function readingProblems(caller: LeakCaller, reading: RowReading): string[] {
  const problems = requestProblems(caller, reading.res);
  const visible: string[] = [JSON.stringify(reading.res.body.data ?? null).match(/[0-9a-f]{8}-[0-9a-f-]{27}/g)?.join(' ') ?? ''];
  for (const o of reading.observations) {
    const problem = valueProblem(o.kind, o.effect, o.raw, o.got);
    if (problem) problems.push(`${o.field} (${o.effect}): ${problem}`);
    else if (o.got !== null) visible.push(String(o.got));
  }
  for (const l of reading.links) if (l.expected !== l.got) problems.push(`${l.field}: expected ${l.expected ?? 'null'}, got ${l.got ?? 'null'}`);
  const pieces = reading.observations.flatMap((o) => secretPieces(o.kind, o.effect, o.raw));
  // The product's own vocabulary — reason codes (PARTNER_NOT_SHARED …), purposes and roles named in
  // an error (ANALYTICS …), all in capitals — is not data: "shar" there is no piece of "Sharma", nor
  // "tics" of an email at "nova-analytics". Seeded names and emails are never all capitals.
  // A refused purpose's message is a fixed template of role and purpose names ("A MEMBER caller may
  // not declare …"): its English is no piece of a "Miller" either.
  const body = reading.res.body;
  const templated = { ...body, errors: body.errors?.map((e) => (e.extensions?.code === 'PURPOSE_NOT_ALLOWED' ? { ...e, message: '' } : e)) };
  const answer = JSON.stringify(templated).replace(/"reason":"[A-Z_]+"/g, '"reason":""').replace(/\b[A-Z][A-Z_]{3,}\b/g, '');
  const found = piecesFound(answer, pieces, visible.join(' '));
  if (found.length) problems.push(`the answer holds pieces of hidden values: ${found.join(', ')}`);
  return problems;
}

describe('leaks through values', () => {
  it('(1) each field answers the raw value only under FULL, the documented partial form otherwise, after any consent change', async () => {
    const arb = fc.record({
      caller: callerArb(world, { allowRefused: true }),
      kind: fc.constantFrom(...ROW_KINDS),
      pick: pickArb,
      consent: fc.option(fc.record({ which: fc.nat(), granted: fc.boolean() }), { freq: 2 }),
      // A restriction or an objection of the row's person, put in force or lifted before reading.
      control: fc.option(fc.record({ which: fc.constantFrom('RESTRICTION' as const, 'MARKETING' as const, 'ANALYTICS' as const, 'PARTNER_SHARING' as const), inForce: fc.boolean() }), { freq: 4 }),
    });
    await check('value', arb, async ({ caller, kind, pick, consent, control }) => {
      const row = rowFor(caller, kind, pick);
      let change = '';
      if (control) {
        const person = kind === 'Contact' ? { type: 'CONTACT' as const, id: row.id } : { type: 'USER' as const, id: kind === 'CallLog' ? (row as any).userId : row.id };
        await world.setControl(person, control.which, control.inForce);
        change += ` after ${control.inForce ? 'setting' : 'lifting'} ${control.which} of ${person.type} ${person.id.slice(0, 8)}`;
      }
      if (consent) {
        const options = consentsAbout(kind, row);
        const chosen = options[consent.which % options.length]!;
        await world.setConsent({ type: chosen.type, id: chosen.id }, chosen.purpose, consent.granted);
        change += ` after ${consent.granted ? 'granting' : 'withdrawing'} ${chosen.type} ${chosen.id.slice(0, 8)} ${chosen.purpose}`;
      }
      const reading = await readRow(world, caller, kind, row.id);
      const problems = readingProblems(caller, reading);
      if (problems.length) throw new Error(`${who(caller)} reads ${rowLabel(kind, row)}${change}\n  ${reading.query}\n  ${problems.join('\n  ')}`);
    }, 250);
  });

  it('(7) a consent-based purpose (ANALYTICS, MARKETING) never shows more than SERVICE for the same caller and row', async () => {
    const arb = fc.record({
      caller: callerArb(world, { roles: ['ADMIN', 'MEMBER'], purposes: ['ANALYTICS', 'MARKETING'] }),
      // Calls and pings are where the table withholds most, so where a purpose could add most.
      kind: fc.oneof({ arbitrary: fc.constantFrom<RowKind>('CallLog', 'Ping'), weight: 2 }, { arbitrary: fc.constantFrom<RowKind>('User', 'Contact'), weight: 1 }),
      pick: pickArb,
    });
    // How much of a value an answer shows: nothing, part of it, all of it.
    const shown = (raw: unknown, got: unknown) => {
      if (got === null || got === undefined) return 0;
      if (raw instanceof Date) return typeof got === 'string' && Date.parse(got) === raw.getTime() ? 2 : 1;
      return got === raw || (typeof got === 'string' && got.startsWith('http')) ? 2 : 1;
    };
    await check('purpose', arb, async ({ caller, kind, pick }) => {
      const row = rowFor(caller, kind, pick);
      const service = await readRow(world, { ...caller, purpose: 'SERVICE' }, kind, row.id);
      const consentBased = await readRow(world, caller, kind, row.id);
      const problems = [...requestProblems(caller, service.res), ...requestProblems(caller, consentBased.res)];
      const serviceBy = new Map(service.observations.map((o) => [o.field, o]));
      for (const o of consentBased.observations) {
        const s = serviceBy.get(o.field);
        const before = s ? shown(s.raw, s.got) : 0;
        if (shown(o.raw, o.got) > before) problems.push(`${o.field}: SERVICE answers ${JSON.stringify(s?.got ?? null)}, ${caller.purpose} answers ${JSON.stringify(o.got)}`);
      }
      for (const [i, l] of consentBased.links.entries()) {
        if (l.got !== null && service.links[i]?.got === null) problems.push(`${l.field}: null under SERVICE, ${l.got} under ${caller.purpose}`);
      }
      if (problems.length) throw new Error(`${who(caller)} reads ${rowLabel(kind, row)}\n  ${consentBased.query}\n  ${problems.join('\n  ')}`);
    }, 100);
  });

  it('(8) pseudonyms are per person: same-name contacts differ, each is stable across requests and consent changes of others', async () => {
    const tenantId = world.tenants[0]!;
    const byName = new Map<string, string[]>();
    for (const c of world.contacts.filter((x) => x.tenantId === tenantId)) byName.set(c.name, [...(byName.get(c.name) ?? []), c.id]);
    const pairs = [...byName.values()].filter((ids) => ids.length >= 2).map((ids) => [ids[0]!, ids[1]!] as const);
    expect(pairs.length).toBeGreaterThan(0);
    const partner = world.callerOf('PARTNER', tenantId, { partner: 'marketplace-dialer' });
    const nameOf = async (id: string) => {
      const res = await world.ask(partner, 'query($id: ID!) { contact(id: $id) { name } }', { id });
      return res.body.data?.contact?.name as string | null;
    };
    const arb = fc.record({ pair: fc.constantFrom(...pairs), reveal: fc.boolean() });
    await check('pseudonym', arb, async ({ pair: [a, b], reveal }) => {
      const problems: string[] = [];
      const [a1, b1] = [await nameOf(a), await nameOf(b)];
      const effect = (id: string) => contactEffect(partner, world.contactById.get(id)!, 'name', world);
      if (effect(a) === 'PSEUDONYM' && effect(b) === 'PSEUDONYM' && a1 === b1) problems.push(`both same-name contacts answer the pseudonym ${a1}`);
      // Revealing one (its PARTNER_SHARING consent) must not re-identify the other.
      if (reveal) await world.setConsent({ type: 'CONTACT', id: a }, 'PARTNER_SHARING', !world.consented(a, 'PARTNER_SHARING'));
      const [a2, b2] = [await nameOf(a), await nameOf(b)];
      if (!reveal && a2 !== a1) problems.push(`contact ${a} answered ${a1} then ${a2}`);
      if (b2 !== b1) problems.push(`contact ${b} answered ${b1} then ${b2} (after a consent change of ${a} only: ${reveal})`);
      if (effect(b) === 'PSEUDONYM' && (b2 === a1 || b2 === a2)) problems.push(`contact ${b}'s pseudonym ${b2} is contact ${a}'s (${a1} / ${a2})`);
      if (problems.length) throw new Error(`PARTNER(marketplace-dialer) reads contacts ${a} and ${b}, both named ${JSON.stringify(world.contactById.get(a)!.name)}\n  ${problems.join('\n  ')}`);
    }, 12);

    // Over the whole tenant at once: no pseudonym stands for two people.
    const seen = new Map<string, string>();
    let after: string | null = null;
    do {
      const res: { body: any } = await world.ask(partner, 'query($after: String) { contacts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name } } }', { after });
      expect(res.body.errors).toBeUndefined();
      for (const n of res.body.data.contacts.nodes as { id: string; name: string | null }[]) {
        if (n.name === null || contactEffect(partner, world.contactById.get(n.id)!, 'name', world) !== 'PSEUDONYM') continue;
        expect({ pseudonym: n.name, people: [seen.get(n.name) ?? n.id, n.id].filter((x, i, all) => all.indexOf(x) === i) }).toEqual({ pseudonym: n.name, people: [n.id] });
        seen.set(n.name, n.id);
      }
      after = res.body.data.contacts.pageInfo.hasNextPage ? res.body.data.contacts.pageInfo.endCursor : null;
    } while (after);
    expect(seen.size).toBeGreaterThan(0);
  });

  it('(9) no error message or extension holds a personal value, and no error depends on a hidden one', async () => {
    const anyUuid = '00000000-0000-4000-8000-000000000000';
    type Op = { label: string; query: string; variables?: Record<string, unknown> };
    const ops = (caller: LeakCaller, index: number): Op[] => {
      const sameTenant = world.contacts.filter((c) => c.tenantId === caller.tenantId);
      const contact = sameTenant[index % sameTenant.length]!;
      const foreign = world.contacts.find((c) => c.tenantId !== caller.tenantId)!;
      const foreignUser = world.users.find((u) => u.tenantId !== caller.tenantId)!;
      const user = pickUser(world, caller, { closeness: 'other', index });
      return [
        { label: 'malformed id', query: '{ contact(id: "not-an-id") { name } }' },
        { label: 'first out of range', query: '{ contacts(first: 0) { nodes { name } } }' },
        { label: 'bad cursor', query: '{ contacts(first: 2, after: "%%%") { nodes { name } } }' },
        { label: 'empty search', query: '{ contacts(search: "  ") { nodes { name } } }' },
        { label: 'bad phone', query: '{ contactByPhone(phone: "12") { name } }' },
        { label: 'reversed range', query: 'query($id: ID!) { user(id: $id) { calls(from: "2026-10-02T00:00:00Z", to: "2026-10-01T00:00:00Z") { totalCount } } }', variables: { id: user.id } },
        { label: 'bad date', query: 'query($id: ID!) { user(id: $id) { locations(from: "yesterday") { totalCount } } }', variables: { id: user.id } },
        { label: 'unknown subject', query: `mutation { grantConsent(subject: { type: CONTACT, id: "${anyUuid}" }, purpose: MARKETING) { status } }` },
        { label: "another tenant's contact", query: `mutation { withdrawConsent(subject: { type: CONTACT, id: "${foreign.id}" }, purpose: MARKETING) { status } }` },
        { label: "another tenant's user", query: `mutation { grantConsent(subject: { type: USER, id: "${foreignUser.id}" }, purpose: ANALYTICS) { status } }` },
        { label: "consents of a contact", query: `{ consents(subject: { type: CONTACT, id: "${contact.id}" }) { current { purpose granted } } }` },
      ];
    };
    const arb = fc.record({ caller: callerArb(world, { allowRefused: true }), index: fc.nat() });
    await check('errors', arb, async ({ caller, index }) => {
      const problems: string[] = [];
      const personal = personalIndex(world, caller.tenantId);
      const foreignPersonal = personalIndex(world, world.tenants.find((x) => x !== caller.tenantId)!);
      for (const op of ops(caller, index)) {
        const res = await world.ask(caller, op.query, op.variables);
        const text = JSON.stringify(res.body.errors ?? []);
        const found = [...personalValuesIn(text, personal), ...personalValuesIn(text, foreignPersonal)];
        if (found.length) problems.push(`${op.label}: errors hold ${found.join(', ')}: ${text}`);
      }
      // Whether a number belongs to a hidden contact must not change the answer's errors.
      if (!refusal(caller)) {
        const sameTenant = world.contacts.filter((c) => c.tenantId === caller.tenantId && c.phone);
        const target = sameTenant[index % sameTenant.length]!;
        const codes = async (phone: string) =>
          JSON.stringify((await world.ask(caller, 'query($p: String!) { contactByPhone(phone: $p) { id } }', { p: phone })).body.errors?.map((e) => e.extensions?.code) ?? []);
        const [known, unknown] = [await codes(target.phone!), await codes(`${target.phone!.slice(0, -4)}0000`)];
        if (known !== unknown && !world.contacts.some((c) => c.phone === `${target.phone!.slice(0, -4)}0000`)) {
          problems.push(`contactByPhone errors differ for a contact's number (${known}) and an unknown one (${unknown})`);
        }
      }
      if (problems.length) throw new Error(`${who(caller)}\n  ${problems.join('\n  ')}`);
    }, 20);
  });
});
