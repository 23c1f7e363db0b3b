import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { StrictMode, useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from './examples';
import './playground.css';

/** Set by the gateway in the page: whether the development caller switcher is available. */
declare global {
  interface Window {
    __PLAYGROUND__?: { development: boolean };
  }
}

interface Notice {
  path: (string | number)[];
  effect: string;
  reason: string;
}

/** `extensions.privacy` lists each row once and groups notices by field; the panel shows one line per value. */
interface PrivacyExtension {
  rows: (string | number)[][];
  notices: { field: string; effect: string; reason: string; rows: number[] }[];
}

function noticesOf(privacy: PrivacyExtension | undefined): Notice[] {
  if (!privacy?.notices || !privacy.rows) return [];
  return privacy.notices.flatMap(({ field, effect, reason, rows }) => rows.map((row) => ({ path: [...(privacy.rows[row] ?? []), field], effect, reason })));
}

interface Personas {
  tenants: { slug: string; name: string; users: { id: string; label: string }[] }[];
  roles: { role: string; purposes: string[] }[];
  partners: { clientId: string; name: string }[];
}

interface CallerChoice {
  tenant: string;
  role: string;
  user: string;
  purpose: string;
  ticket: boolean;
  partner: string;
}

const development = window.__PLAYGROUND__?.development ?? false;

/** Development only: choose who is calling; the gateway mints a matching development token. */
function CallerSwitcher({ onToken }: { onToken: (token: string, purpose: string) => void }) {
  const [personas, setPersonas] = useState<Personas>();
  const [choice, setChoice] = useState<CallerChoice>({ tenant: 'acme', role: 'ADMIN', user: '', purpose: '', ticket: false, partner: 'marketplace-dialer' });

  useEffect(() => {
    void fetch('/dev/personas').then((r) => r.json()).then(setPersonas);
  }, []);

  useEffect(() => {
    const body = { ...choice, user: choice.user || undefined, purpose: choice.purpose || undefined, partner: choice.role === 'PARTNER' ? choice.partner : undefined };
    void fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then((r) => r.json())
      .then((r: { token: string; purpose: string }) => onToken(r.token, r.purpose));
  }, [choice, onToken]);

  if (!personas) return <div className="caller">loading callers…</div>;
  const tenant = personas.tenants.find((t) => t.slug === choice.tenant)!;
  const purposes = personas.roles.find((r) => r.role === choice.role)?.purposes ?? [];
  const set = (patch: Partial<CallerChoice>) => setChoice((c) => ({ ...c, ...patch }));
  return (
    <div className="caller" aria-label="caller">
      <label>
        tenant
        <select name="tenant" value={choice.tenant} onChange={(e) => set({ tenant: e.target.value, user: '' })}>
          {personas.tenants.map((t) => (
            <option key={t.slug} value={t.slug}>{t.name}</option>
          ))}
        </select>
      </label>
      <label>
        role
        <select name="role" value={choice.role} onChange={(e) => set({ role: e.target.value, purpose: '' })}>
          {personas.roles.map((r) => (
            <option key={r.role} value={r.role}>{r.role}</option>
          ))}
        </select>
      </label>
      <label>
        user
        <select name="user" value={choice.user} onChange={(e) => set({ user: e.target.value })}>
          <option value="">(demo persona)</option>
          {tenant.users.map((u) => (
            <option key={u.id} value={u.id}>{u.label}</option>
          ))}
        </select>
      </label>
      <label>
        purpose
        <select name="purpose" value={choice.purpose} onChange={(e) => set({ purpose: e.target.value })}>
          <option value="">(default)</option>
          {purposes.map((p) => (
            <option key={p} value={p}>{p}</option>
          ))}
        </select>
      </label>
      {choice.role === 'SUPPORT' && (
        <label>
          <input name="ticket" type="checkbox" checked={choice.ticket} onChange={(e) => set({ ticket: e.target.checked })} /> support ticket
        </label>
      )}
      {choice.role === 'PARTNER' && (
        <label>
          app
          <select name="partner" value={choice.partner} onChange={(e) => set({ partner: e.target.value })}>
            {personas.partners.map((p) => (
              <option key={p.clientId} value={p.clientId}>{p.name}</option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/** What the policy hid in the last response, and why (from extensions.privacy). */
function PrivacyPanel({ notices }: { notices: Notice[] }) {
  return (
    <aside className="privacy" aria-label="privacy">
      <h2>Privacy</h2>
      {notices.length === 0 ? (
        <p className="none">Everything in the last result was shown in full.</p>
      ) : (
        <table>
          <thead>
            <tr><th>path</th><th>effect</th><th>reason</th></tr>
          </thead>
          <tbody>
            {notices.map((n) => (
              <tr key={n.path.join('.')} className={`effect-${n.effect.toLowerCase()}`}>
                <td>{n.path.join('.')}</td>
                <td>{n.effect}</td>
                <td>{n.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}

function Playground() {
  const caller = useRef<{ token?: string; purpose?: string }>({});
  const [notices, setNotices] = useState<Notice[]>([]);
  const [query, setQuery] = useState(EXAMPLES[0]!.query);
  const [ready, setReady] = useState(!development);

  const onToken = useCallback((token: string, purpose: string) => {
    caller.current = { token, purpose };
    setReady(true);
  }, []);

  const fetcher = useCallback(async (params: unknown, options?: { headers?: Record<string, string> }) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options?.headers };
    if (caller.current.token) headers.authorization = `Bearer ${caller.current.token}`;
    if (caller.current.purpose) headers['x-purpose'] = caller.current.purpose;
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
    const json = await response.json();
    setNotices(noticesOf(json?.extensions?.privacy));
    return json;
  }, []);

  return (
    <div className="playground">
      <header>
        <strong>CRM privacy gateway</strong>
        {development ? <CallerSwitcher onToken={onToken} /> : <span className="hint">Set an Authorization header below.</span>}
        <nav aria-label="examples">
          {EXAMPLES.map((e) => (
            <button key={e.label} type="button" onClick={() => setQuery(e.query)}>{e.label}</button>
          ))}
        </nav>
      </header>
      <main>
        <div className="editor">{ready && <GraphiQL fetcher={fetcher} query={query} onEditQuery={setQuery} isHeadersEditorEnabled={!development} />}</div>
        <PrivacyPanel notices={notices} />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
