import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { StrictMode, useCallback, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CallerSwitcher, type Personas } from './caller';
import { curlCommand } from './curl';
import { examples, type ExampleValues } from './examples';
import { lastResultOf, type LastResult } from './notices';
import { PolicyView } from './policy-view';
import { PrivacyPanel } from './privacy-panel';
import './playground.css';

/** Set by the gateway in the page: whether the development caller switcher is available. */
declare global {
  interface Window {
    __PLAYGROUND__?: { development: boolean };
  }
}

const development = window.__PLAYGROUND__?.development ?? false;
const GRAPHQL_URL = new URL('/graphql', window.location.href).toString();

/** The headers editor's JSON (production playground: the user pastes their own Authorization there). */
function parseHeaders(text: string): Record<string, string> {
  try {
    const value = JSON.parse(text || '{}') as unknown;
    if (!value || typeof value !== 'object') return {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** "Copy as curl": the command, copied when the browser allows it, and shown to copy by hand otherwise. */
function CurlButton({ command }: { command: () => string }) {
  const [shown, setShown] = useState<string>();
  const [copied, setCopied] = useState(false);
  const open = async () => {
    const text = command();
    setShown(text);
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <button type="button" className="curl-button" onClick={() => void open()}>
        Copy as curl
      </button>
      {shown !== undefined && (
        <div className="curl" role="dialog" aria-label="curl command">
          <pre>{shown}</pre>
          <span>{copied ? 'Copied to the clipboard.' : 'Select and copy the command.'}</span>{' '}
          <button type="button" onClick={() => setShown(undefined)}>
            Close
          </button>
        </div>
      )}
    </>
  );
}

function Playground() {
  const caller = useRef<{ token?: string; purpose?: string }>({});
  const [callerState, setCallerState] = useState<{ token?: string; purpose?: string }>({});
  const [result, setResult] = useState<LastResult>({ kind: 'none' });
  const [values, setValues] = useState<ExampleValues>({});
  const [query, setQuery] = useState(() => examples({})[0]!.query);
  const variables = useRef('');
  const headersText = useRef('');
  const [view, setView] = useState<'editor' | 'policy'>('editor');
  const [ready, setReady] = useState(!development);
  const [panelOpen, setPanelOpen] = useState(true);
  const list = useMemo(() => examples(values), [values]);

  const onToken = useCallback((token: string, purpose: string) => {
    caller.current = { token, purpose };
    setCallerState({ token, purpose });
    setReady(true);
  }, []);
  const onPersonas = useCallback((p: Personas) => setValues({ phone: p.examples?.phone, userId: p.tenants[0]?.users[0]?.id }), []);

  /** The headers this playground sends: the development caller's, or the headers editor's. */
  const requestHeaders = useCallback((): Record<string, string> => {
    if (!development) return parseHeaders(headersText.current);
    const headers: Record<string, string> = {};
    if (caller.current.token) headers.authorization = `Bearer ${caller.current.token}`;
    if (caller.current.purpose) headers['x-purpose'] = caller.current.purpose;
    return headers;
  }, []);

  const fetcher = useCallback(
    async (params: { operationName?: string | null }, options?: { headers?: Record<string, string> }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options?.headers, ...(development ? requestHeaders() : {}) };
      const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
      const json = await response.json();
      // GraphiQL's own schema query is not the user's result.
      if (params.operationName !== 'IntrospectionQuery') setResult(lastResultOf(Array.isArray(json) ? json[json.length - 1] : json));
      return json;
    },
    [requestHeaders],
  );

  return (
    <div className="playground">
      <header>
        <strong>CRM privacy gateway</strong>
        {development ? <CallerSwitcher onToken={onToken} onPersonas={onPersonas} /> : <span className="hint">Set an Authorization header below.</span>}
        <nav aria-label="examples">
          {list.map((e) => (
            <button
              key={e.label}
              type="button"
              onClick={() => {
                setView('editor');
                setQuery(e.query);
              }}
            >
              {e.label}
            </button>
          ))}
        </nav>
        <CurlButton command={() => curlCommand({ url: GRAPHQL_URL, query, variables: variables.current, headers: requestHeaders() })} />
        {development && (
          <button type="button" className="view-toggle" aria-pressed={view === 'policy'} onClick={() => setView(view === 'policy' ? 'editor' : 'policy')}>
            {view === 'policy' ? 'Back to the editor' : 'Policy for this caller'}
          </button>
        )}
        {view === 'editor' && (
          <button type="button" className="panel-toggle" aria-expanded={panelOpen} onClick={() => setPanelOpen(!panelOpen)}>
            {panelOpen ? 'Hide privacy panel' : 'Show privacy panel'}
          </button>
        )}
      </header>
      <main>
        <div className="editor" hidden={view !== 'editor'}>
          {ready && (
            <GraphiQL
              fetcher={fetcher}
              query={query}
              onEditQuery={setQuery}
              onEditVariables={(v) => (variables.current = v)}
              onEditHeaders={(h) => (headersText.current = h)}
              isHeadersEditorEnabled={!development}
            />
          )}
        </div>
        {view === 'policy' && (
          <div className="policy">
            <PolicyView token={callerState.token} purpose={callerState.purpose} />
          </div>
        )}
        {panelOpen && view === 'editor' && (
          <aside className="privacy" aria-label="privacy">
            <h2>Privacy</h2>
            <PrivacyPanel result={result} />
          </aside>
        )}
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
