import type { PrivacyExtension } from '../../privacy/enforcement/notices';
import { hiddenValues } from '../helpers/privacy';
import { startTestStack, type TestStack } from '../helpers/stack';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t.close());

const at = (data: unknown, path: (string | number)[]) => path.reduce<any>((value, key) => value?.[key], data);

describe('extensions.privacy at the gateway', () => {
  it('names each row once and each (field, effect, reason) once, with the rows it applies to', async () => {
    const token = await t.tokenFor('ADMIN');
    const res = await t.query(
      '{ contacts(first: 6) { nodes { name mine: lastCall { counterpartyNumber notes } calls(first: 3) { nodes { number: counterpartyNumber notes startedAt } } } } }',
      { token },
    );
    expect(res.body.errors).toBeUndefined();
    const privacy = res.body.extensions!.privacy as PrivacyExtension;
    const data = res.body.data;

    // Every call the answer holds, wherever it sits (under its alias), with the values the policy hides for an ADMIN.
    const callRows: string[] = [];
    data.contacts.nodes.forEach((contact: any, i: number) => {
      if (contact.mine) callRows.push(`contacts.nodes.${i}.mine`);
      contact.calls.nodes.forEach((_: unknown, j: number) => callRows.push(`contacts.nodes.${i}.calls.nodes.${j}`));
    });
    expect(callRows.length).toBeGreaterThan(6);

    const rowKeys = privacy.rows.map((row) => row.join('.'));
    expect(new Set(rowKeys).size).toBe(rowKeys.length);
    expect([...rowKeys].sort()).toEqual([...callRows].sort());

    const hidden = hiddenValues(privacy);
    for (const row of callRows) {
      const number = row.endsWith('mine') ? 'counterpartyNumber' : 'number';
      // Calls listed under a contact are calls to that contact: their number is the contact's phone, read as such.
      expect(hidden.filter((h) => h.path.join('.') === `${row}.${number}`)).toEqual([{ path: expect.any(Array), effect: 'WITHHOLD', reason: 'CONTACT_NUMBER' }]);
      expect(hidden.filter((h) => h.path.join('.') === `${row}.notes`)).toEqual([{ path: expect.any(Array), effect: 'WITHHOLD', reason: 'ADMIN_CALL_NOTES' }]);
    }
    expect(hidden).toHaveLength(callRows.length * 2);
    // Each notice points at a value that is really hidden: withheld values are null, masked ones carry stars.
    for (const h of hidden) {
      const value = at(data, h.path);
      if (h.effect === 'WITHHOLD') expect(value).toBeNull();
      else expect(value).toMatch(/\*/);
    }
    // Grouped: one notice per (field as the client named it, effect, reason) within a subgraph's answer.
    expect(privacy.notices.map((n) => `${n.field} ${n.reason}`).sort()).toEqual(['counterpartyNumber CONTACT_NUMBER', 'notes ADMIN_CALL_NOTES', 'number CONTACT_NUMBER']);
  });

  it('keeps each operation of a batched request to its own notices', async () => {
    const token = await t.tokenFor('ADMIN');
    const hiding = '{ contacts(first: 4) { nodes { lastCall { notes } } } }';
    const clean = '{ contacts(first: 4) { nodes { lastCall { startedAt } calls(first: 2) { nodes { startedAt } } } } }';
    // Operations of one batch run side by side: each must report exactly the values it hid itself.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(t.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify([{ query: hiding }, { query: clean }, { query: hiding }]),
      });
      const answers = (await response.json()) as { data: any; extensions?: { privacy?: PrivacyExtension } }[];
      expect(answers).toHaveLength(3);
      for (const index of [0, 2]) {
        const { data, extensions } = answers[index]!;
        const withCall = data.contacts.nodes.filter((c: { lastCall: unknown }) => c.lastCall).length;
        expect(withCall).toBeGreaterThan(0);
        expect(hiddenValues(extensions?.privacy)).toHaveLength(withCall);
        expect(extensions!.privacy!.rows).toHaveLength(withCall);
      }
      expect(answers[1]!.extensions?.privacy).toBeUndefined();
    }
  });

  it('is absent when everything was shown in full', async () => {
    const res = await t.query('{ contacts(first: 3) { nodes { name email } } }', { token: await t.tokenFor('ADMIN') });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions?.privacy).toBeUndefined();
  });
});
