import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * The playground in a real browser (Debian's chromium, driven by playwright-core): the same query
 * run as an ADMIN and as a PARTNER, the full and the hidden values on screen, and not one request
 * leaving the machine.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FULL_PHONE = /"phone": "\+\d{8,15}"/;

let t: TestStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`The browser test needs Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
  t = await startTestStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function runAndRead(page: Page): Promise<string> {
  const response = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST');
  await page.click('.graphiql-execute-button');
  await response;
  // CodeMirror renders only the lines in view: read the whole result through its API.
  const resultText = () => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const editor = (doc.querySelector('.result-window .CodeMirror') as { CodeMirror?: { getValue(): string } } | null)?.CodeMirror;
    return editor ? editor.getValue() : '';
  };
  await page.waitForFunction(`(${resultText.toString()})().includes('"data"')`);
  return page.evaluate(resultText);
}

async function switchCaller(page: Page, select: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(select)) {
    const token = page.waitForResponse((r) => r.url().endsWith('/dev/token'));
    await page.selectOption(`select[name="${name}"]`, value);
    await token;
  }
}

describe('playground', () => {
  it('shows the same query answered in full to an ADMIN and pseudonymized to a PARTNER, offline', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).hostname));

    await page.goto(t.gatewayUrl.replace(/\/graphql$/, '/'));
    await page.waitForSelector('select[name="role"]');
    await switchCaller(page, { role: 'ADMIN' });
    await page.click('nav[aria-label="examples"] >> text=Contacts with their calls');

    const asAdmin = await runAndRead(page);
    expect(asAdmin).toMatch(FULL_PHONE);
    expect(asAdmin).not.toContain('person_');
    await page.locator('aside.privacy', { hasText: 'ADMIN_CALL_NUMBER' }).waitFor();

    await switchCaller(page, { role: 'PARTNER' });
    const asPartner = await runAndRead(page);
    expect(asPartner).not.toMatch(FULL_PHONE);
    expect(asPartner).toContain('person_');
    await page.locator('aside.privacy', { hasText: 'PSEUDONYM' }).waitFor();
    expect(await page.locator('aside.privacy').innerText()).toContain('PARTNER_NOT_SHARED');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground.png') });
    expect([...hosts].filter((host) => !LOOPBACK.has(host))).toEqual([]);
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
