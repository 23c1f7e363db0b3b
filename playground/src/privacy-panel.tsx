import { Fragment } from 'react';
import type { LastResult } from './notices';

/** A dotted path that wraps only between its segments, never inside a name. */
function BreakablePath({ path }: { path: string }) {
  const parts = path.split('.');
  return (
    <code className="path">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              .<wbr />
            </>
          )}
          {part}
        </Fragment>
      ))}
    </code>
  );
}

/** What the policy hid in the last answer, and why: one line per field and reason, opening to its places. */
export function PrivacyPanel({ result }: { result: LastResult }) {
  let body: JSX.Element;
  if (result.kind === 'none') body = <p className="none">Run an operation to see what the policy hid in its answer.</p>;
  else if (result.kind === 'failed') body = <p className="none">The last operation returned no data (see its errors).</p>;
  else if (result.groups.length === 0) {
    body = <p className="none">{result.withErrors ? 'Nothing in the data returned was hidden; the answer also has errors.' : 'Everything in the last result was shown in full.'}</p>;
  } else {
    const total = result.groups.reduce((n, g) => n + g.paths.length, 0);
    body = (
      <>
        <p className="summary">
          {total} {total === 1 ? 'value' : 'values'} not shown in full, {result.groups.length} {result.groups.length === 1 ? 'rule' : 'rules'}
          {result.withErrors ? '; the answer also has errors' : ''}.
        </p>
        <ul className="groups">
          {result.groups.map((g) => (
            <li key={`${g.field}/${g.effect}/${g.reason}`} className={`group effect-${g.effect.toLowerCase()}`}>
              <details>
                <summary>
                  <span className="field">{g.field}</span> <span className="effect">{g.effect}</span> <span className="reason">{g.reason}</span>{' '}
                  <span className="count">×{g.paths.length}</span>
                </summary>
                <ol>
                  {g.paths.map((path) => (
                    <li key={path}>
                      <BreakablePath path={path} />
                    </li>
                  ))}
                </ol>
              </details>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <section className="last-result" aria-label="last result">
      {body}
    </section>
  );
}
