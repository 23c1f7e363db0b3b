import { useEffect, useState } from 'react';

interface Decision {
  effect: string;
  reason: string;
}
interface RelationPolicy {
  withoutConsent: Decision;
  withEveryConsent: Decision;
}
interface FieldPolicy {
  type: string;
  field: string;
  category: string;
  relations: Record<string, RelationPolicy>;
}
interface PolicyAnswer {
  caller: { role: string; purpose: string; ticket: boolean; partnerScopes: string[] };
  fields: FieldPolicy[];
}

const RELATIONS: { key: string; label: string }[] = [
  { key: 'SELF', label: 'self' },
  { key: 'SAME_TEAM', label: 'same team' },
  { key: 'SAME_TENANT', label: 'same tenant' },
];

const differs = (p: RelationPolicy) => p.withoutConsent.effect !== p.withEveryConsent.effect || p.withoutConsent.reason !== p.withEveryConsent.reason;

/** One answer; `consent` says which: without any consent, with every consent, or either (the same). */
function Cell({ decision, relation, consent }: { decision: Decision; relation: string; consent: 'none' | 'every' | 'any' }) {
  return (
    <td className={`effect-${decision.effect.toLowerCase()}`} data-relation={relation} data-consent={consent}>
      <span className="effect">{decision.effect}</span> <span className="reason">{decision.reason}</span>
    </td>
  );
}

/**
 * The schema's personal fields and what the policy does to each for the chosen caller and purpose,
 * per relation to the person; where consent changes the answer, both answers (from /dev/policy,
 * computed by the same decide() the subgraphs run).
 */
export function PolicyView({ token, purpose }: { token?: string; purpose?: string }) {
  const [answer, setAnswer] = useState<PolicyAnswer>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!token) return;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (purpose) headers['x-purpose'] = purpose;
    void fetch('/dev/policy', { headers })
      .then((r) => r.json())
      .then((json: PolicyAnswer & { errors?: { message: string }[] }) => {
        if (json.errors) setError(json.errors[0]?.message ?? 'refused');
        else {
          setError(undefined);
          setAnswer(json);
        }
      });
  }, [token, purpose]);

  if (error) return <p className="none">{error}</p>;
  if (!answer) return <p className="none">loading the policy…</p>;
  // A relation gets a "with every consent" column only where consent changes an answer.
  const split = Object.fromEntries(RELATIONS.map(({ key }) => [key, answer.fields.some((f) => differs(f.relations[key]!))]));
  const { caller } = answer;
  return (
    <section className="policy-view" aria-label="schema privacy">
      <p className="summary">
        As <strong>{caller.role}</strong> for <strong>{caller.purpose}</strong>
        {caller.role === 'SUPPORT' ? (caller.ticket ? ' with a support ticket' : ' without a support ticket') : ''}
        {caller.partnerScopes.length ? ` (scopes: ${caller.partnerScopes.join(', ')})` : ''}: every personal field, by your relation to the person it is about.
        A person who restricted processing is masked for all but the DPO.
      </p>
      <table>
        <thead>
          <tr>
            <th rowSpan={2}>field</th>
            <th rowSpan={2}>category</th>
            {RELATIONS.map(({ key, label }) => (
              <th key={key} colSpan={split[key] ? 2 : 1}>
                {label}
              </th>
            ))}
          </tr>
          <tr>
            {RELATIONS.map(({ key }) =>
              split[key] ? [<th key={`${key}-no`}>without consent</th>, <th key={`${key}-all`}>with every consent</th>] : <th key={key} />,
            )}
          </tr>
        </thead>
        <tbody>
          {answer.fields.map((f) => (
            <tr key={`${f.type}.${f.field}`} data-field={`${f.type}.${f.field}`}>
              <td>
                {f.type}.<wbr />
                {f.field}
              </td>
              <td className="category">{f.category}</td>
              {RELATIONS.map(({ key }) =>
                split[key]
                  ? [
                      <Cell key={`${key}-no`} relation={key} consent="none" decision={f.relations[key]!.withoutConsent} />,
                      <Cell key={`${key}-all`} relation={key} consent="every" decision={f.relations[key]!.withEveryConsent} />,
                    ]
                  : <Cell key={key} relation={key} consent="any" decision={f.relations[key]!.withoutConsent} />,
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
