import fc from 'fast-check';
import type { CallLogRow } from '../../subgraphs/calls/entities';
import type { ContactRow } from '../../subgraphs/contacts/entities';
import { callerArb, pickArb, pickContact, pickUser } from './arbitraries';
import {
  withoutConsents, callEffect, contactEffect, dateVisibility, geofenceContactEffect, linkShown, matchable, pingEffect, userEffect,
  type LeakCaller,
} from './oracle';
import { callsOf, check, cursorDecodings, listSpec, pageAll, personalIndex, personalValuesIn, requestProblems, who, type ListName } from './probes';
import { startWorld, type World } from './world';

/**
 * Leak properties about the channels around values: cursors, search and lookup, ranges and counts,
 * links and the lists through them, the counterparty number, and list order.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
  // Some people of each tenant restricted processing or object to a purpose: every channel must
  // treat their rows as the oracle says (restricted: nothing matches, links hidden; objections: per purpose).
  for (const tenantId of world.tenants) {
    const contacts = world.contacts.filter((c) => c.tenantId === tenantId);
    const users = world.users.filter((u) => u.tenantId === tenantId);
    for (const c of [contacts[3], contacts[11]]) await world.setControl({ type: 'CONTACT', id: c!.id }, 'RESTRICTION', true);
    for (const c of [contacts[5], contacts[17]]) await world.setControl({ type: 'CONTACT', id: c!.id }, 'MARKETING', true);
    await world.setControl({ type: 'CONTACT', id: contacts[23]!.id }, 'ANALYTICS', true);
    await world.setControl({ type: 'USER', id: users[users.length - 1]!.id }, 'RESTRICTION', true);
    await world.setControl({ type: 'USER', id: users[2]!.id }, 'ANALYTICS', true);
  }
}, 120_000);
afterAll(() => world?.close());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The parent row a list hangs under, for lists that have one. */
function parentOf(list: ListName, caller: LeakCaller, pick: { closeness: 'self' | 'team' | 'other' | 'foreign'; index: number }): string {
  if (list === 'contactCalls') {
    // A contact that has calls, so the list is not empty by construction.
    const contact = pickContact(world, caller, pick);
    if (world.callsOfContact.get(contact.id)?.length) return contact.id;
    return world.contacts.find((c) => c.tenantId === contact.tenantId && world.callsOfContact.get(c.id)?.length)!.id;
  }
  return pickUser(world, caller, pick).id;
}

describe('leaks through channels', () => {
  it('(2) cursors decode to no personal value or time, and an altered, truncated or foreign cursor is BAD_USER_INPUT', async () => {
    const lists: ListName[] = ['users', 'contacts', 'geofences', 'teamMembers', 'userContacts', 'userCalls', 'contactCalls', 'userLocations'];
    const arb = fc.record({
      caller: callerArb(world),
      list: fc.constantFrom(...lists),
      pick: pickArb,
      position: fc.nat(),
      replacement: fc.constantFrom(...'AbQz09_-'),
      cut: fc.integer({ min: 1, max: 8 }),
    });
    let cursorsSeen = 0;
    await check('cursor', arb, async ({ caller, list, pick, position, replacement, cut }) => {
      const parent = parentOf(list, caller, { ...pick, closeness: pick.closeness === 'foreign' ? 'other' : pick.closeness });
      const nodes = list === 'userLocations' ? 'recordedAt' : 'id';
      const spec = listSpec(list, parent, nodes);
      const firstPage = async (asCaller: LeakCaller, after?: string) => world.ask(asCaller, spec.query, { ...spec.variables, first: 2, after: after ?? null });
      const res = await firstPage(caller);
      const problems = requestProblems(caller, res);
      const cursor: string | null | undefined = spec.connection(res.body.data)?.pageInfo.endCursor;
      if (cursor) {
        cursorsSeen += 1;
        const index = personalIndex(world, caller.tenantId);
        const found = [...new Set(cursorDecodings(cursor).flatMap((text) => personalValuesIn(text, index)))];
        if (found.length) problems.push(`endCursor ${cursor} decodes to ${found.join(', ')} (${Buffer.from(cursor, 'base64url').toString('utf8')})`);

        const refusedWith = async (label: string, forged: string) => {
          const answer = await firstPage(caller, forged);
          const codes = (answer.body.errors ?? []).map((e) => e.extensions?.code);
          if (!codes.includes('BAD_USER_INPUT')) problems.push(`${label} cursor ${forged} was accepted (errors ${JSON.stringify(codes)}, ${JSON.stringify(spec.connection(answer.body.data)?.nodes ?? null).slice(0, 200)})`);
        };
        // The last character of base64 may carry unused bits: alter one before it.
        const at = position % Math.max(1, cursor.length - 2);
        const altered = cursor.slice(0, at) + (cursor[at] === replacement ? (replacement === 'A' ? 'B' : 'A') : replacement) + cursor.slice(at + 1);
        await refusedWith('an altered', altered);
        await refusedWith('a truncated', cursor.slice(0, Math.max(1, cursor.length - cut)));
        // Another caller of the same tenant on the same list.
        const otherUser = world.users.find((u) => u.tenantId === caller.tenantId && u.status === 'ACTIVE' && u.id !== caller.userId)!;
        const other = world.callerOf('ADMIN', caller.tenantId, { userId: otherUser.id });
        const theirs: string | null | undefined = spec.connection((await firstPage(other)).body.data)?.pageInfo.endCursor;
        if (theirs && theirs !== cursor) await refusedWith("another caller's", theirs);
        else if (theirs) problems.push(`another caller (${who(other)}) got the very same cursor ${theirs}`);
        // Another tenant's cursor for the same root list.
        if (list === 'users' || list === 'contacts' || list === 'geofences') {
          const foreign = world.callerOf('ADMIN', world.tenants.find((x) => x !== caller.tenantId)!);
          const foreignCursor: string | null | undefined = spec.connection((await firstPage(foreign)).body.data)?.pageInfo.endCursor;
          if (foreignCursor) await refusedWith("another tenant's", foreignCursor);
        }
      }
      if (problems.length) throw new Error(`${who(caller)} on ${spec.label}(first: 2)\n  ${problems.join('\n  ')}`);
    }, 40);
    expect(cursorsSeen).toBeGreaterThan(0);
  });

  it('(3) contacts(search:) and contactByPhone match a contact only on a field the caller sees in FULL without relying on consent', async () => {
    const SEARCHED = ['name', 'email', 'phone', 'company'] as const;
    const arb = fc.record({
      caller: callerArb(world),
      pick: pickArb,
      field: fc.constantFrom(...SEARCHED),
      start: fc.nat(),
      length: fc.integer({ min: 4, max: 9 }),
    });
    await check('search', arb, async ({ caller, pick, field, start, length }) => {
      const target = pickContact(world, caller, pick);
      const value = target[field] ?? target.name;
      // The README: words are what lies between characters that are neither letters nor digits,
      // compared without case or accents; a field matches when every word of the search begins
      // one of its words. The search starts at the beginning of a word of the field, so it may
      // span several words and end inside one.
      const words = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      const starts = [...value.matchAll(/(?<![\p{L}\p{N}\p{M}])[\p{L}\p{N}]/gu)].map((m) => m.index!);
      if (starts.length === 0) return;
      const from = starts[start % starts.length]!;
      const search = value.slice(from, from + length).trim();
      if (words(search).length === 0) return;
      const problems: string[] = [];
      // A contact may match where one of its searched fields holds every word and is searchable for the caller.
      const holds = (c: ContactRow, f: (typeof SEARCHED)[number]) => {
        const held = words(c[f] ?? '');
        return words(search).every((w) => held.some((h) => h.startsWith(w)));
      };
      const matchesOn = (contactId: string, _exact = false) => {
        const c = world.contactById.get(contactId);
        if (!c) return [];
        return SEARCHED.filter((f) => holds(c, f) && matchable(contactEffect(caller, c, f, withoutConsents(world))));
      };
      const paged = await pageAll(world, caller, listSpec('contacts', '', 'id', { search }));
      problems.push(...paged.problems);
      const ids = paged.nodes.map((n) => n.id as string);
      for (const id of ids) if (matchesOn(id).length === 0) problems.push(`contact ${id} (${world.contactById.get(id)?.name}) matched but holds ${JSON.stringify(search)} in no field the caller sees in FULL`);
      // Not a leak, but a search that matches nothing would make this property vacuous.
      if (matchesOn(target.id, true).length > 0 && !ids.includes(target.id)) problems.push(`contact ${target.id} holds ${JSON.stringify(search)} in a searchable field (${matchesOn(target.id, true).join(', ')}) but was not found`);

      if (target.phone) {
        const res = await world.ask(caller, 'query($p: String!) { contactByPhone(phone: $p) { id } }', { p: target.phone });
        problems.push(...requestProblems(caller, res));
        const found: string | null = res.body.data?.contactByPhone?.id ?? null;
        const allowed = matchable(contactEffect(caller, target, 'phone', withoutConsents(world)));
        if (found && (found !== target.id || !allowed)) problems.push(`contactByPhone(${target.phone}) found ${found} though the caller does not see its phone in FULL`);
        if (!found && allowed) problems.push(`contactByPhone(${target.phone}) did not find ${target.id}, whose phone the caller sees`);
      }
      if (problems.length) throw new Error(`${who(caller)} searches ${JSON.stringify(search)} (from ${field} of contact ${target.id}, ${target.name})\n  ${problems.join('\n  ')}`);
    }, 80);
  });

  it('(4) ranges never match rows whose time the caller does not see in FULL; totalCount is what can be paged through', async () => {
    const arb = fc.record({
      caller: callerArb(world),
      pick: pickArb,
      list: fc.constantFrom<'userCalls' | 'userLocations'>('userCalls', 'userLocations'),
      anchor: fc.nat(),
      width: fc.constantFrom(MINUTE, HOUR, DAY, 30 * DAY),
      offset: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    await check('range', arb, async ({ caller, pick, list, anchor, width, offset }) => {
      const user = pickUser(world, caller, pick);
      const rows = list === 'userCalls' ? (world.callsOfUser.get(user.id) ?? []) : (world.pingsOfUser.get(user.id) ?? []);
      if (rows.length === 0) return;
      const timeOf = (r: any): Date => (list === 'userCalls' ? r.startedAt : r.recordedAt);
      const at = timeOf(rows[anchor % rows.length]!).getTime();
      const from = new Date(Math.floor(at - offset * width + 1));
      const to = new Date(from.getTime() + width);
      const inRange = rows.filter((r) => timeOf(r) >= from && timeOf(r) < to);
      const problems: string[] = [];
      const paged = await pageAll(world, caller, listSpec(list, user.id, list === 'userCalls' ? 'id' : 'recordedAt', { from: from.toISOString(), to: to.toISOString() }));
      problems.push(...paged.problems);
      if (list === 'userCalls') {
        const allowed = new Set(
          // One person's own list: that person's consents count (they are known for the whole list).
          (inRange as CallLogRow[]).filter((c) => linkShown(callEffect(caller, c, 'user', world)) && matchable(callEffect(caller, c, 'startedAt', world))).map((c) => c.id),
        );
        const ids = paged.nodes.map((n) => n.id as string);
        const leaked = ids.filter((id) => !allowed.has(id));
        if (leaked.length) problems.push(`matched ${leaked.length} call(s) the range may not match, e.g. ${leaked[0]} (${world.calls.find((c) => c.id === leaked[0])?.startedAt.toISOString()})`);
        const missed = [...allowed].filter((id) => !ids.includes(id));
        if (missed.length) problems.push(`missed ${missed.length} call(s) the caller sees in FULL within the range, e.g. ${missed[0]}`);
      } else {
        const matchableCount = inRange.filter((p) => linkShown(pingEffect(caller, p as any, 'recordedAt', world)) && matchable(pingEffect(caller, p as any, 'recordedAt', world))).length;
        if (paged.nodes.length > matchableCount) problems.push(`matched ${paged.nodes.length} ping(s); the caller may match ${matchableCount} of the ${inRange.length} in the range`);
        if (paged.nodes.length < matchableCount) problems.push(`matched ${paged.nodes.length} of the ${matchableCount} ping(s) the caller sees in FULL within the range`);
      }
      if (problems.length) throw new Error(`${who(caller)} on ${list === 'userCalls' ? 'calls' : 'locations'} of user ${user.id} in [${from.toISOString()}, ${to.toISOString()})\n  ${problems.join('\n  ')}`);
    }, 60);
  });

  it('(5) links are null where the row is withheld, and lists through links hold only rows whose link the caller may see', async () => {
    const arb = fc.record({
      caller: callerArb(world),
      pick: pickArb,
      list: fc.constantFrom<'userCalls' | 'contactCalls' | 'userLocations' | 'geofences'>('userCalls', 'contactCalls', 'userLocations', 'geofences'),
    });
    await check('link', arb, async ({ caller, pick, list }) => {
      const problems: string[] = [];
      const parent = parentOf(list, caller, pick);
      let label = '';
      if (list === 'geofences') {
        const spec = listSpec('geofences', '', 'id contact { id }');
        label = spec.label;
        const paged = await pageAll(world, caller, spec);
        problems.push(...paged.problems);
        for (const node of paged.nodes) {
          const fence = world.t.demo.geofences.find((g) => g.id === node.id)!;
          const contact = fence.contactId ? world.contactById.get(fence.contactId) : undefined;
          const expected = contact && linkShown(geofenceContactEffect(caller, contact, world)) ? contact.id : null;
          if ((node.contact?.id ?? null) !== expected) problems.push(`Geofence ${fence.id}.contact: expected ${expected ?? 'null'}, got ${node.contact?.id ?? 'null'}`);
        }
      } else if (list === 'userLocations') {
        const spec = listSpec(list, parent, 'recordedAt');
        label = spec.label;
        const pings = world.pingsOfUser.get(parent) ?? [];
        const visible = pings.filter((p) => linkShown(pingEffect(caller, p, 'recordedAt', world)));
        const paged = await pageAll(world, caller, spec);
        problems.push(...paged.problems);
        if (!paged.absent && paged.nodes.length !== visible.length) problems.push(`lists ${paged.nodes.length} pings; the caller may see ${visible.length} of ${pings.length}`);
        const last = await world.ask(caller, 'query($id: ID!) { user(id: $id) { lastLocation { recordedAt } } }', { id: parent });
        const lastLocation = last.body.data?.user?.lastLocation ?? null;
        if ((lastLocation !== null) !== (visible.length > 0)) problems.push(`lastLocation is ${JSON.stringify(lastLocation)} though the caller may see ${visible.length} pings`);
      } else {
        const spec = listSpec(list, parent, 'id');
        label = spec.label;
        const link = list === 'userCalls' ? 'user' : 'contact';
        const shown = callsOf(world, list, parent).filter((c) => linkShown(callEffect(caller, c, link, world)));
        // A contact's calls are many people's rows: a link shown only thanks to its person's consent
        // is not relied on there (as for search and order), so such a call may be left out, never added.
        const visible = list === 'contactCalls' ? shown.filter((c) => linkShown(callEffect(caller, c, link, withoutConsents(world)))) : shown;
        const paged = await pageAll(world, caller, spec, 3);
        problems.push(...paged.problems);
        const ids = paged.nodes.map((n) => n.id as string);
        const visibleIds = new Set(visible.map((c) => c.id));
        const shownIds = new Set(shown.map((c) => c.id));
        const leaked = ids.filter((id) => !shownIds.has(id));
        if (leaked.length) problems.push(`lists ${leaked.length} call(s) whose CallLog.${link} the caller may not see, e.g. ${leaked[0]}`);
        if (!paged.absent && ids.length < visible.length) problems.push(`lists ${ids.length} of the ${visible.length} calls the caller may see`);
        if (list === 'contactCalls') {
          const last = await world.ask(caller, 'query($id: ID!) { contact(id: $id) { lastCall { id user { id } } } }', { id: parent });
          const got = last.body.data?.contact?.lastCall?.id ?? null;
          if (got !== (visible[0]?.id ?? null) && !(got && visibleIds.has(got) && visible[0] && world.calls.find((c) => c.id === got)!.startedAt.getTime() === visible[0].startedAt.getTime())) {
            problems.push(`Contact.lastCall is ${got ?? 'null'}; the newest call the caller may see is ${visible[0]?.id ?? 'none'}`);
          }
        }
      }
      if (problems.length) throw new Error(`${who(caller)} on ${label}\n  ${problems.join('\n  ')}`);
    }, 50);
  });

  it("(6) CallLog.counterpartyNumber never shows a linked contact's phone", async () => {
    const arb = fc.record({ caller: callerArb(world), pick: pickArb });
    await check('second field', arb, async ({ caller, pick }) => {
      const contact = pickContact(world, caller, pick);
      const problems: string[] = [];
      const query = 'query($id: ID!) { contact(id: $id) { phone lastCall { id counterpartyNumber } calls(first: 50) { nodes { id counterpartyNumber contact { phone } } } } }';
      const res = await world.ask(caller, query, { id: contact.id });
      problems.push(...requestProblems(caller, res));
      const answered = res.body.data?.contact;
      const answeredCalls = new Map<string, { id: string; counterpartyNumber: string | null }>();
      for (const call of [...(answered?.calls?.nodes ?? []), ...(answered?.lastCall ? [answered.lastCall] : [])]) answeredCalls.set(call.id, call);
      const numbered = [...answeredCalls.values()].filter((call) => call.counterpartyNumber !== null);
      if (numbered.length) {
        const shown = numbered.slice(0, 3).map((call) => `${call.id} → ${call.counterpartyNumber}`).join(', ');
        problems.push(`${numbered.length} call(s) of contact ${contact.id} (phone ${contact.phone}) answer a counterpartyNumber: ${shown}${numbered.length > 3 ? ', …' : ''}`);
      }
      // A call with no contact: its number belongs to nobody in the CRM, and may be shown as its own field.
      const anonymous = world.calls.filter((c) => c.tenantId === caller.tenantId && !c.contactId);
      const call = anonymous[pick.index % anonymous.length]!;
      const own = await world.ask(caller, 'query($id: ID!) { callLog(id: $id) { counterpartyNumber } }', { id: call.id });
      const number: string | null = own.body.data?.callLog?.counterpartyNumber ?? null;
      if (number && world.contacts.some((c) => c.phone === number)) problems.push(`call ${call.id} answers the number of a contact: ${number}`);
      if (problems.length) throw new Error(`${who(caller)}\n  ${query}\n  ${problems.join('\n  ')}`);
    }, 30);
  });

  it('(10) a list is ordered by its sort field only as far as the caller sees it; other rows follow by id', async () => {
    const arb = fc.record({
      caller: callerArb(world),
      pick: pickArb,
      list: fc.constantFrom<ListName>('users', 'contacts', 'teamMembers', 'userContacts', 'userCalls', 'contactCalls'),
    });
    await check('order', arb, async ({ caller, pick, list }) => {
      const byName = list === 'users' || list === 'contacts' || list === 'teamMembers' || list === 'userContacts';
      const parent = byName && (list === 'users' || list === 'contacts') ? '' : parentOf(list, caller, pick);
      const spec = listSpec(list, parent, 'id');
      const paged = await pageAll(world, caller, spec, 3);
      const problems = [...paged.problems];
      // What the caller sees of each row's sort key: a comparable value, or nothing. A key shown only
      // thanks to its person's consent counts as unseen (order, like search, relies on no consent),
      // except in one person's own list (a user's calls), where that person's consents are known.
      const orderFacts = list === 'userCalls' ? world : withoutConsents(world);
      const keyOf = (id: string): { key: string | number | null; id: string } => {
        if (list === 'users' || list === 'teamMembers') {
          const u = world.userById.get(id)!;
          return { key: userEffect(caller, u, 'name', orderFacts) === 'FULL' ? u.name : null, id };
        }
        if (list === 'contacts' || list === 'userContacts') {
          const c = world.contactById.get(id)!;
          return { key: contactEffect(caller, c, 'name', orderFacts) === 'FULL' ? c.name : null, id };
        }
        const call = world.calls.find((c) => c.id === id)!;
        const seen = dateVisibility(callEffect(caller, call, 'startedAt', orderFacts));
        const t = call.startedAt;
        if (seen === 'none') return { key: null, id };
        if (seen === 'exact') return { key: t.getTime(), id };
        const d = new Date(t.getTime());
        if (seen === 'day') d.setUTCHours(0, 0, 0, 0);
        else d.setUTCMinutes(0, 0, 0);
        return { key: d.getTime(), id };
      };
      const keys = paged.nodes.map((n) => keyOf(n.id as string));
      const firstHidden = keys.findIndex((k) => k.key === null);
      if (firstHidden >= 0 && keys.slice(firstHidden).some((k) => k.key !== null)) {
        problems.push(`a row whose sort key the caller cannot see comes before one whose key it sees (position ${firstHidden})`);
      }
      const seen = keys.filter((k) => k.key !== null);
      const descending = !byName;
      // Names: the store's collation decides (binary on SQLite, case- and accent-insensitive on MariaDB).
      const collations: ((a: string, b: string) => boolean)[] = [
        (a, b) => a <= b,
        (a, b) => a.toLowerCase() <= b.toLowerCase(),
        (a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) <= 0,
      ];
      const inOrder = (a: string | number, b: string | number, collation: (a: string, b: string) => boolean) =>
        typeof a === 'number' && typeof b === 'number' ? (descending ? a >= b : a <= b) : collation(String(a), String(b));
      const sortedBy = (collation: (a: string, b: string) => boolean) => seen.every((k, i) => i === 0 || inOrder(seen[i - 1]!.key!, k.key!, collation));
      if (!collations.some(sortedBy)) problems.push('the rows whose sort key the caller sees are not in the order of what it sees');
      // Rows that look alike to the caller (same truncated time) follow by id, not by the hidden minutes.
      if (!byName) {
        const ties = seen.filter((k, i) => seen.some((o, j) => j !== i && o.key === k.key) && dateVisibility(callEffect(caller, world.calls.find((c) => c.id === k.id)!, 'startedAt', orderFacts)) !== 'exact');
        const groups = [...new Set(ties.map((k) => k.key))].map((key) => ties.filter((k) => k.key === key).map((k) => k.id));
        const byId = (dir: 1 | -1) => groups.every((ids) => ids.every((id, i) => i === 0 || (dir === 1 ? ids[i - 1]! <= id : ids[i - 1]! >= id)));
        if (groups.length && !byId(1) && !byId(-1)) {
          const group = groups.find((ids) => ids.length > 1 && !ids.every((id, i) => i === 0 || ids[i - 1]! <= id))!;
          problems.push(`calls that share a truncated time are not in id order, e.g. ${group.map((id) => `${id.slice(0, 8)} ${world.calls.find((c) => c.id === id)!.startedAt.toISOString()}`).join(', ')}`);
        }
      }
      // The rest: by id (either way), so the order says nothing about the hidden key.
      const hidden = keys.filter((k) => k.key === null).map((k) => k.id);
      const ascending = hidden.every((id, i) => i === 0 || hidden[i - 1]! <= id);
      const descendingIds = hidden.every((id, i) => i === 0 || hidden[i - 1]! >= id);
      if (hidden.length > 2 && !ascending && !descendingIds) {
        const sample = paged.nodes
          .filter((n) => keyOf(n.id).key === null)
          .slice(0, 4)
          .map((n) => (byName ? `${n.id.slice(0, 8)} ${world.userById.get(n.id)?.name ?? world.contactById.get(n.id)?.name}` : `${n.id.slice(0, 8)} ${world.calls.find((c) => c.id === n.id)?.startedAt.toISOString()}`));
        problems.push(`${hidden.length} rows whose sort key the caller cannot see are not in id order: ${sample.join(', ')}, …`);
      }
      if (problems.length) throw new Error(`${who(caller)} on ${spec.label}\n  ${problems.join('\n  ')}`);
    }, 50);
  });
});
