import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readClassification } from '../../privacy/classification';
import { DEFAULT_SUPERGRAPH_PATH } from '../../schema';
import { startTestStack, type TestStack } from '../helpers/stack';
import { browserBinary } from './chromium';

/**
 * The playground in a real browser (Chromium driven by playwright-core: the system's, or the one
 * inside the @sparticuz/chromium npm package): the schema loads on first open (Docs,
 * autocomplete), the same query runs as an ADMIN and as a PARTNER with the hidden values grouped
 * in the panel, the policy view for a caller, "Copy as curl", and not one request leaving the machine.
 */
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const DOCS = path.resolve(__dirname, '../../docs');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FULL_PHONE = /"phone": "\+\d{8,15}"/;

let t: TestStack;
let browser: Browser;

beforeAll(async () => {
  const binary = await browserBinary();
  t = await startTestStack();
  browser = await chromium.launch({
    executablePath: binary.executablePath,
    env: { ...process.env, ...binary.env } as Record<string, string>,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** CodeMirror renders only the lines in view: read an editor's whole text through its API. */
function editorText(page: Page, selector: string): Promise<string> {
  return page.evaluate((s) => {
    const doc = (globalThis as unknown as { document: { querySelector(q: string): unknown } }).document;
    const editor = (doc.querySelector(s) as { CodeMirror?: { getValue(): string } } | null)?.CodeMirror;
    return editor ? editor.getValue() : '';
  }, selector);
}

async function runAndRead(page: Page): Promise<string> {
  const response = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && !(r.request().postData() ?? '').includes('IntrospectionQuery'));
  await page.click('.graphiql-execute-button');
  const json = await (await response).json();
  // GraphiQL shows the answer as JSON.stringify(answer, null, 2): wait for this answer, not the last one.
  await page.waitForFunction(
    ([s, expected]) => {
      const doc = (globalThis as unknown as { document: { querySelector(q: string): unknown } }).document;
      const editor = (doc.querySelector(s) as { CodeMirror?: { getValue(): string } } | null)?.CodeMirror;
      return editor ? editor.getValue() === expected : false;
    },
    ['.result-window .CodeMirror', JSON.stringify(json, null, 2)] as const,
  );
  return editorText(page, '.result-window .CodeMirror');
}

async function switchCaller(page: Page, select: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(select)) {
    const token = page.waitForResponse((r) => r.url().endsWith('/dev/token'));
    await page.selectOption(`select[name="${name}"]`, value);
    await token;
  }
}

async function openPlayground(): Promise<{ page: Page; hosts: Set<string> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const hosts = new Set<string>();
  page.on('request', (request) => hosts.add(new URL(request.url()).hostname));
  await page.goto(t.gatewayUrl.replace(/\/graphql$/, '/'));
  await page.waitForSelector('select[name="role"]');
  return { page, hosts };
}

/** Sets the query editor's text as a user would leave it, and puts the cursor at its end. */
async function setQuery(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => {
    const doc = (globalThis as unknown as { document: { querySelector(q: string): unknown } }).document;
    const editor = (doc.querySelector('.graphiql-query-editor .CodeMirror') as { CodeMirror: { setValue(v: string): void; focus(): void; execCommand(c: string): void } }).CodeMirror;
    editor.setValue(value);
    editor.focus();
    editor.execCommand('goDocEnd');
  }, text);
}

describe('playground', () => {
  it('loads the schema on first open: Docs lists the API and the editor completes field names', async () => {
    const { page, hosts } = await openPlayground();
    await page.click('button[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.locator('text=Query').first().waitFor();
    expect(await docs.innerText()).not.toContain('Error fetching schema');
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: 'Query' }).first().click();
    await docs.locator('text=contactByPhone').first().waitFor();

    await setQuery(page, '{\n  cont');
    await page.keyboard.type('a');
    const hints = page.locator('.CodeMirror-hints');
    await hints.waitFor();
    const suggestions = await hints.locator('li').allInnerTexts();
    expect(suggestions).toEqual(expect.arrayContaining(['contact', 'contacts', 'contactByPhone']));
    // Validation runs against the schema too: an unknown field is marked.
    await page.keyboard.press('Escape');
    await setQuery(page, '{ noSuchField }');
    await page.locator('.graphiql-query-editor .CodeMirror-lint-mark-error').first().waitFor();

    expect([...hosts].filter((host) => !LOOPBACK.has(host))).toEqual([]);
    await page.close();
  });

  it('groups what the policy hid by field and reason, with counts that open to the rows, for an ADMIN and a PARTNER', async () => {
    const { page, hosts } = await openPlayground();
    const panel = page.locator('aside.privacy');
    expect(await panel.innerText()).toContain('Run an operation');
    await switchCaller(page, { role: 'ADMIN' });
    await page.click('nav[aria-label="examples"] >> text=Contacts with their calls');

    const asAdmin = await runAndRead(page);
    expect(asAdmin).toMatch(FULL_PHONE);
    expect(asAdmin).not.toContain('person_');
    const adminNumbers = JSON.parse(asAdmin).data.contacts.nodes.flatMap((c: { calls: { nodes: unknown[] } }) => c.calls.nodes).length;
    // A call to a known contact gives its number as contact.phone only: one line for all of them, however many.
    const masked = panel.locator('li.group', { hasText: 'CONTACT_NUMBER' });
    await masked.waitFor();
    expect(await masked.locator('summary').innerText()).toMatch(new RegExp(`counterpartyNumber\\s+WITHHOLD\\s+CONTACT_NUMBER\\s+×${adminNumbers}`));
    expect(await masked.locator('ol li').count()).toBe(adminNumbers);
    await masked.locator('summary').click();
    expect(await masked.locator('ol li').first().innerText()).toMatch(/^contacts\.nodes\.\d+\.calls\.nodes\.\d+\.counterpartyNumber$/);

    await switchCaller(page, { role: 'PARTNER' });
    const asPartner = await runAndRead(page);
    expect(asPartner).not.toMatch(FULL_PHONE);
    expect(asPartner).toContain('person_');
    const partner = JSON.parse(asPartner);
    const groups = await panel.locator('li.group summary').allInnerTexts();
    const notices = partner.extensions.privacy.notices as { field: string; effect: string; reason: string; rows: number[] }[];
    // As many lines as distinct (field, effect, reason), far fewer than the values hidden.
    expect(groups.length).toBe(new Set(notices.map((n) => `${n.field}/${n.effect}/${n.reason}`)).size);
    expect(notices.reduce((sum, n) => sum + n.rows.length, 0)).toBeGreaterThan(3 * groups.length);
    expect(groups.join('\n')).toMatch(/name\s+PSEUDONYM\s+PARTNER_PSEUDONYMOUS\s+×\d+/);
    expect(groups.join('\n')).toContain('PARTNER_NOT_SHARED');
    await panel.locator('li.group', { hasText: 'PSEUDONYM' }).locator('summary').click();

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground.png') });
    // The README shows this screen.
    await page.screenshot({ path: path.join(DOCS, 'playground.png') });

    // After an error the panel says so, and claims nothing about what was shown.
    await setQuery(page, '{ contacts(first: 0) { totalCount } }');
    const failed = await runAndRead(page);
    expect(failed).toContain('BAD_USER_INPUT');
    expect(await panel.innerText()).toContain('returned no data');
    expect(await panel.innerText()).not.toContain('shown in full');
    expect([...hosts].filter((host) => !LOOPBACK.has(host))).toEqual([]);
    await page.close();
  });

  it('shows the policy for the chosen caller: every personal field by relation, with and without consent', async () => {
    const { page } = await openPlayground();
    await switchCaller(page, { role: 'MEMBER' });
    await page.click('button.view-toggle');
    const phone = page.locator('tr[data-field="Contact.phone"]');
    await phone.waitFor();
    expect((await phone.locator('td').allInnerTexts()).slice(0, 2)).toEqual(['Contact.phone', 'user.contact.phone_number']);
    const cell = (row: string, relation: string, consent: string) => page.locator(`tr[data-field="${row}"] td[data-relation="${relation}"][data-consent="${consent}"]`).innerText();
    // A sales rep: own and the team's contacts in full, other teams' masked, consent or not. Only
    // about the rep themselves does a consent change anything (a recording of their own call), so
    // only that relation has two columns: the strictest rule wins, and consent never opens a colleague's data.
    for (const consent of ['none', 'every']) expect(await cell('Contact.phone', 'SELF', consent)).toBe('FULL SELF');
    expect(await cell('Contact.phone', 'SAME_TEAM', 'any')).toBe('FULL TEAM_CONTACT');
    expect(await cell('Contact.phone', 'SAME_TENANT', 'any')).toBe('MASK OTHER_TEAM_CONTACT');
    // Every personal field of the schema has a row.
    const classification = readClassification(parse(fs.readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8')));
    const personal = [...classification.values()].flatMap((fields) => [...fields.values()].filter((c) => c.personal));
    expect(await page.locator('.policy-view tbody tr').count()).toBe(personal.length);

    // An ADMIN sees others' locations only with their consent, and then coarsened.
    await switchCaller(page, { role: 'ADMIN' });
    await page.locator('.policy-view th', { hasText: 'with every consent' }).first().waitFor();
    expect(await cell('LocationPing.latitude', 'SAME_TEAM', 'none')).toBe('WITHHOLD NO_LOCATION_CONSENT');
    expect(await cell('LocationPing.latitude', 'SAME_TEAM', 'every')).toBe('GENERALIZE ADMIN_LOCATION');
    expect(await cell('LocationPing.latitude', 'SELF', 'none')).toBe('FULL SELF');
    await page.screenshot({ path: path.join(DOCS, 'playground-policy.png') });
    await page.close();
  });

  it('answers the phone example on the demo data and copies the request as a curl command with the caller\'s token', async () => {
    const { page } = await openPlayground();
    await switchCaller(page, { role: 'ADMIN' });
    await page.click('nav[aria-label="examples"] >> text=Look up by phone');
    const answer = JSON.parse(await runAndRead(page));
    expect(answer.data.contactByPhone).toMatchObject({ name: expect.any(String), lastCall: { startedAt: expect.any(String) } });

    await page.click('button.curl-button');
    const command = await page.locator('.curl pre').innerText();
    const token = /-H 'authorization: Bearer ([\w.-]+)'/.exec(command)?.[1];
    const body = /--data-raw '(.*)'$/s.exec(command)?.[1]?.replace(/'\\''/g, "'");
    expect(command).toContain(`curl -s '${t.gatewayUrl}'`);
    expect(token).toBeDefined();
    // The command asks the same question, as the same caller, and gets the same answer.
    const replay = await t.query(JSON.parse(body!).query, { token });
    expect(replay.body.data).toEqual(answer.data);
    await page.close();
  });

  it('runs every example to an answer with data on the demo data', async () => {
    const { page } = await openPlayground();
    await switchCaller(page, { role: 'ADMIN' });
    const labels = await page.locator('nav[aria-label="examples"] button').allInnerTexts();
    expect(labels.length).toBeGreaterThanOrEqual(4);
    for (const label of labels) {
      await page.click(`nav[aria-label="examples"] >> text=${label}`);
      const answer = JSON.parse(await runAndRead(page));
      expect({ label, errors: answer.errors }).toEqual({ label, errors: undefined });
      for (const [field, value] of Object.entries(answer.data)) expect({ label, field, value }).toEqual({ label, field, value: expect.anything() });
    }
    await page.close();
  });

  it('serves the page at /graphql to browsers and keeps GraphQL for programs', async () => {
    const page = await fetch(t.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/playground/app.js');
    const api = await fetch(t.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
