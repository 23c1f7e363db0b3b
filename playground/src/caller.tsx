import { useEffect, useState } from 'react';

export interface Personas {
  tenants: { slug: string; name: string; users: { id: string; label: string }[] }[];
  roles: { role: string; purposes: string[] }[];
  partners: { clientId: string; name: string }[];
  examples: { phone?: string };
}

interface CallerChoice {
  tenant: string;
  role: string;
  user: string;
  purpose: string;
  ticket: boolean;
  partner: string;
}

/** Development only: choose who is calling; the gateway mints a matching development token. */
export function CallerSwitcher({ onToken, onPersonas }: { onToken: (token: string, purpose: string) => void; onPersonas: (personas: Personas) => void }) {
  const [personas, setPersonas] = useState<Personas>();
  const [choice, setChoice] = useState<CallerChoice>({ tenant: 'acme', role: 'ADMIN', user: '', purpose: '', ticket: false, partner: 'marketplace-dialer' });

  useEffect(() => {
    void fetch('/dev/personas')
      .then((r) => r.json())
      .then((p: Personas) => {
        setPersonas(p);
        onPersonas(p);
      });
  }, [onPersonas]);

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
