import { generateDemoData } from '../../seed/generate';

const E164 = /^\+[1-9]\d{6,14}$/;

describe('demo data', () => {
  const data = generateDemoData();

  it('is deterministic: the same input gives the same rows', () => {
    expect(JSON.stringify(generateDemoData())).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDemoData({ seed: 'other' }))).not.toBe(JSON.stringify(data));
  });

  it('meets the minimum volumes', () => {
    expect(data.tenants.length).toBeGreaterThanOrEqual(2);
    for (const tenant of data.tenants) expect(data.teams.filter((t) => t.tenantId === tenant.id).length).toBeGreaterThanOrEqual(2);
    expect(data.users.length).toBeGreaterThanOrEqual(10);
    expect(data.contacts.length).toBeGreaterThanOrEqual(200);
    expect(data.callLogs.length).toBeGreaterThanOrEqual(2000);
    expect(data.locationPings.length).toBeGreaterThanOrEqual(5000);
    expect(data.geofences.length).toBeGreaterThanOrEqual(2);
  });

  it('has E.164 phones, plausible emails and coordinates, and unique ids', () => {
    for (const p of [...data.users, ...data.contacts]) if (p.phone) expect(p.phone).toMatch(E164);
    for (const c of data.callLogs) expect(c.counterpartyNumber).toMatch(E164);
    for (const p of [...data.users, ...data.contacts]) if (p.email) expect(p.email).toMatch(/^[^@\s]+@[a-z0-9.-]+\.example$/);
    for (const ping of data.locationPings) {
      expect(Math.abs(ping.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(ping.longitude)).toBeLessThanOrEqual(180);
    }
    const ids = Object.values(data).flatMap((rows: { id?: string }[]) => rows.map((r) => r.id).filter(Boolean));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps every row inside its tenant: owners, callers and contacts share the tenant', () => {
    const tenantOf = new Map([...data.users, ...data.contacts].map((r) => [r.id, r.tenantId]));
    for (const c of data.contacts) if (c.ownerId) expect(tenantOf.get(c.ownerId)).toBe(c.tenantId);
    for (const call of data.callLogs) {
      expect(tenantOf.get(call.userId)).toBe(call.tenantId);
      if (call.contactId) expect(tenantOf.get(call.contactId)).toBe(call.tenantId);
    }
  });

  it('--scale multiplies the volumes and keeps the first rows as they were', () => {
    const doubled = generateDemoData({ scale: 2 });
    expect(doubled.contacts.length).toBe(data.contacts.length * 2);
    expect(doubled.callLogs.length).toBe(data.callLogs.length * 2);
    expect(doubled.tenants).toEqual(data.tenants);
    expect(doubled.users.slice(0, 3).map((u) => u.id)).toEqual(data.users.slice(0, 3).map((u) => u.id));
  });
});
