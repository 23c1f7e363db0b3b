import type { TeamRow, TenantRow, UserRow } from '../subgraphs/accounts/entities';
import type { CallDisposition, CallLogRow } from '../subgraphs/calls/entities';
import type { ContactRow, ContactStage, LeadSource } from '../subgraphs/contacts/entities';
import type { GeofenceRow, LocationPingRow } from '../subgraphs/location/entities';
import type { ConsentRecordRow, PartnerAppRow, PartnerInstallationRow } from '../privacy/store/entities';
import { Random } from './random';
import { COMPANY_KINDS, COMPANY_WORDS, INDIA, TITLES, UNITED_STATES, type Region } from './vocabulary';

export interface DemoData {
  tenants: TenantRow[];
  teams: TeamRow[];
  users: UserRow[];
  contacts: ContactRow[];
  callLogs: CallLogRow[];
  locationPings: LocationPingRow[];
  geofences: GeofenceRow[];
  partnerApps: PartnerAppRow[];
  partnerInstallations: PartnerInstallationRow[];
  consentRecords: ConsentRecordRow[];
}

/** Two registered partner apps; the first demo tenant has installed both, the second neither. */
export const DEMO_PARTNER_APPS: readonly PartnerAppRow[] = [
  { clientId: 'maps-app', name: 'RouteMaps', kind: 'MAPPING', allowedScopes: 'locations.coarse', createdAt: new Date('2026-01-15T00:00:00.000Z') },
  { clientId: 'marketplace-dialer', name: 'Marketplace Dialer', kind: 'INTEGRATION', allowedScopes: 'profile,contacts.pseudonymous', createdAt: new Date('2026-02-01T00:00:00.000Z') },
];

export interface DemoTenantSpec {
  slug: string;
  name: string;
  emailDomain: string;
  region: Region;
  teams: readonly string[];
}

export const DEMO_TENANTS: readonly DemoTenantSpec[] = [
  { slug: 'acme', name: 'Acme Distributors', emailDomain: 'acme-distributors.example', region: INDIA, teams: ['North Zone', 'South Zone', 'Key Accounts'] },
  { slug: 'northwind', name: 'Northwind Health', emailDomain: 'northwind-health.example', region: UNITED_STATES, teams: ['Clinics', 'Hospitals', 'Renewals'] },
];

/** Per tenant at scale 1; --scale multiplies all but tenants and teams. */
const PER_TENANT = { usersPerTeam: 3, contacts: 120, calls: 1100, pings: 2800, geofences: 4 };

/** The data is dated relative to this fixed instant, never to the clock, so every run is identical. */
export const SEED_NOW = new Date('2026-11-01T00:00:00.000Z');

/**
 * A contact's birth date, known for about a third of them; one in ten of those is a child of 8 to
 * 13 (a pupil's lead from a school programme), so they stay children for years after the seed date.
 */
function birthDateOf(random: Random): string | null {
  if (!random.chance(0.35)) return null;
  const years = random.chance(0.1) ? random.int(8, 13) : random.int(18, 80);
  const born = new Date(SEED_NOW.getTime() - (years * 365.25 + random.int(0, 300)) * DAY);
  return born.toISOString().slice(0, 10);
}
const DAY = 86_400_000;

const SOURCES: LeadSource[] = ['WEBSITE', 'ADS', 'REFERRAL', 'CALL_LOG', 'PARTNER', 'IMPORT'];
const STAGES: ContactStage[] = ['LEAD', 'LEAD', 'QUALIFIED', 'CUSTOMER', 'CUSTOMER', 'CHURNED'];
const DISPOSITIONS: CallDisposition[] = ['CONNECTED', 'CONNECTED', 'CONNECTED', 'NO_ANSWER', 'BUSY', 'VOICEMAIL', 'FAILED'];
const NOTES = ['Asked for a quote', 'Follow up next week', 'Interested in the premium plan', 'Requested a demo', 'Price objection', 'Wants a callback after 5pm', 'Renewal discussed'];

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '.');
}

function phoneNumber(random: Random, region: Region, taken: Set<string>): string {
  for (;;) {
    const number = `${region.countryCode}${random.pick(region.firstDigits)}${random.digits(region.subscriberLength - 1)}`;
    if (!taken.has(number)) {
      taken.add(number);
      return number;
    }
  }
}

function uniqueEmail(local: string, domain: string, taken: Set<string>): string {
  let candidate = `${local}@${domain}`;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${local}${n}@${domain}`;
  taken.add(candidate);
  return candidate;
}

export type DemoKind = keyof DemoData;
/** One row of the demo data with the list it belongs to. */
export type DemoRow = { [K in DemoKind]: { kind: K; row: DemoData[K][number] } }[DemoKind];

function emptyDemoData(): DemoData {
  return { tenants: [], teams: [], users: [], contacts: [], callLogs: [], locationPings: [], geofences: [], partnerApps: [], partnerInstallations: [], consentRecords: [] };
}

/**
 * Deterministic demo data: the same seed and scale give the same rows, byte for byte. Each kind of
 * row draws from its own stream, so scaling up adds rows without changing the first ones.
 */
export function generateDemoData(options: { seed?: string; scale?: number } = {}): DemoData {
  const data = emptyDemoData();
  for (const { kind, row } of demoRows(options)) (data[kind] as DemoRow['row'][]).push(row);
  return data;
}

/**
 * The same rows one at a time, so a loader can write millions of them without holding them all:
 * only tenants, teams, users and contacts stay in memory (calls, pings and consents refer to them).
 * A contact is yielded after its tenant's calls, which set its `lastSpokenAt`.
 */
export function* demoRows(options: { seed?: string; scale?: number } = {}): Generator<DemoRow> {
  const seed = options.seed ?? 'crm-demo';
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error('scale must be positive');
  const allUsers: UserRow[] = [];
  const allContacts: ContactRow[] = [];
  for (const app of DEMO_PARTNER_APPS) yield { kind: 'partnerApps', row: { ...app } };

  for (const spec of DEMO_TENANTS) {
    const ids = new Random(`${seed}:${spec.slug}:ids`);
    const tenant: TenantRow = { id: ids.uuid(), name: spec.name, emailDomain: spec.emailDomain, createdAt: new Date(SEED_NOW.getTime() - 400 * DAY) };
    yield { kind: 'tenants', row: tenant };
    const teams = spec.teams.map((name) => ({ id: ids.uuid(), tenantId: tenant.id, name }));
    for (const team of teams) yield { kind: 'teams', row: team };

    const phones = new Set<string>();
    const emails = new Set<string>();
    const people = new Random(`${seed}:${spec.slug}:users`);
    const usersPerTeam = Math.max(1, Math.round(PER_TENANT.usersPerTeam * scale));
    const users: UserRow[] = [];
    for (let i = 0; i < usersPerTeam * teams.length; i += 1) {
      const first = people.pick(spec.region.firstNames);
      const last = people.pick(spec.region.lastNames);
      users.push({
        id: people.uuid(),
        tenantId: tenant.id,
        teamId: teams[i % teams.length]!.id,
        name: `${first} ${last}`,
        email: uniqueEmail(slugify(`${first} ${last}`), spec.emailDomain, emails),
        phone: phoneNumber(people, spec.region, phones),
        title: people.pick(TITLES),
        timezone: spec.region.timezone,
        language: spec.region.language,
        // The two newest accounts show the lifecycle: one suspended, one closed (expired).
        status: i === usersPerTeam * teams.length - 2 ? 'SUSPENDED' : i === usersPerTeam * teams.length - 1 ? 'CLOSED' : 'ACTIVE',
        // Suspended or closed ten days before the seed date; active ones since they were created.
        statusSince: new Date(SEED_NOW.getTime() - (i >= usersPerTeam * teams.length - 2 ? 10 : 300 - i) * DAY),
        createdAt: new Date(SEED_NOW.getTime() - (300 - i) * DAY),
      });
    }
    for (const user of users) yield { kind: 'users', row: user };
    allUsers.push(...users);
    const userById = new Map(users.map((user) => [user.id, user]));

    if (spec === DEMO_TENANTS[0]) {
      for (const app of DEMO_PARTNER_APPS) {
        yield {
          kind: 'partnerInstallations',
          row: {
            id: ids.uuid(),
            tenantId: tenant.id,
            clientId: app.clientId,
            scopes: app.allowedScopes,
            installedBy: users[0]!.id,
            installedAt: new Date(SEED_NOW.getTime() - 60 * DAY),
            uninstalledAt: null,
          },
        };
      }
    }

    const leads = new Random(`${seed}:${spec.slug}:contacts`);
    // Birth dates from a stream of their own, so the rest of the demo data does not move with them.
    const birthdays = new Random(`${seed}:${spec.slug}:birthdays`);
    const contacts: ContactRow[] = [];
    for (let i = 0; i < Math.round(PER_TENANT.contacts * scale); i += 1) {
      const owner = leads.chance(0.95) ? leads.pick(users) : undefined;
      const first = leads.pick(spec.region.firstNames);
      const last = leads.pick(spec.region.lastNames);
      const company = `${leads.pick(COMPANY_WORDS)} ${leads.pick(COMPANY_KINDS)}`;
      const city = leads.pick(spec.region.cities);
      const createdAt = new Date(SEED_NOW.getTime() - leads.int(30, 365) * DAY);
      contacts.push({
        id: leads.uuid(),
        tenantId: tenant.id,
        ownerId: owner?.id ?? null,
        teamId: owner?.teamId ?? null,
        name: `${first} ${last}`,
        email: leads.chance(0.85) ? uniqueEmail(slugify(`${first} ${last}`), `${slugify(company).replace(/\./g, '-')}.example`, emails) : null,
        phone: leads.chance(0.95) ? phoneNumber(leads, spec.region, phones) : null,
        company,
        address: `${leads.int(1, 250)} ${leads.pick(spec.region.streets)}, ${city.name}`,
        birthDate: birthDateOf(birthdays),
        source: leads.pick(SOURCES),
        stage: leads.pick(STAGES),
        lastSpokenAt: null,
        createdAt,
        updatedAt: createdAt,
      });
    }

    const dialer = new Random(`${seed}:${spec.slug}:calls`);
    const callable = contacts.filter((c) => c.phone);
    for (let i = 0; i < Math.round(PER_TENANT.calls * scale); i += 1) {
      const known = dialer.chance(0.95);
      const contact = known ? dialer.pick(callable) : undefined;
      const owner = contact?.ownerId ? userById.get(contact.ownerId) : undefined;
      const user = owner && dialer.chance(0.7) ? owner : dialer.pick(users);
      const disposition = dialer.pick(DISPOSITIONS);
      const startedAt = new Date(SEED_NOW.getTime() - dialer.int(1, 180 * 24 * 60) * 60_000);
      const connected = disposition === 'CONNECTED';
      const id = dialer.uuid();
      yield {
        kind: 'callLogs',
        row: {
          id,
          tenantId: tenant.id,
          contactId: contact?.id ?? null,
          userId: user.id,
          direction: dialer.chance(0.6) ? 'OUTBOUND' : 'INBOUND',
          startedAt,
          durationSeconds: connected ? dialer.int(15, 1800) : disposition === 'VOICEMAIL' ? dialer.int(10, 60) : 0,
          disposition,
          counterpartyNumber: contact?.phone ?? phoneNumber(dialer, spec.region, phones),
          notes: connected && dialer.chance(0.5) ? dialer.pick(NOTES) : null,
          recordingUrl: connected && dialer.chance(0.3) ? `recordings/${tenant.id}/${id}.m4a` : null,
        },
      };
      if (contact && connected && (!contact.lastSpokenAt || contact.lastSpokenAt < startedAt)) contact.lastSpokenAt = startedAt;
    }
    for (const contact of contacts) yield { kind: 'contacts', row: contact };
    allContacts.push(...contacts);

    const gps = new Random(`${seed}:${spec.slug}:pings`);
    const pingsPerUser = Math.round((PER_TENANT.pings * scale) / users.length);
    for (const user of users) {
      const home = gps.pick(spec.region.cities);
      let latitude = home.latitude;
      let longitude = home.longitude;
      let at = SEED_NOW.getTime() - gps.int(0, 120) * 60_000;
      for (let i = 0; i < pingsPerUser; i += 1) {
        latitude += (gps.next() - 0.5) * 0.01;
        longitude += (gps.next() - 0.5) * 0.01;
        yield {
          kind: 'locationPings',
          row: {
            id: gps.uuid(),
            tenantId: tenant.id,
            userId: user.id,
            latitude: Number(latitude.toFixed(6)),
            longitude: Number(longitude.toFixed(6)),
            accuracyMeters: gps.int(5, 60),
            recordedAt: new Date(at),
          },
        };
        at -= gps.int(20, 240) * 60_000;
      }
    }

    const fences = new Random(`${seed}:${spec.slug}:geofences`);
    for (let i = 0; i < Math.max(1, Math.round(PER_TENANT.geofences * scale)); i += 1) {
      const contact = fences.pick(contacts);
      const city = fences.pick(spec.region.cities);
      yield {
        kind: 'geofences',
        row: {
          id: fences.uuid(),
          tenantId: tenant.id,
          name: `${contact.company ?? contact.name} site`,
          latitude: Number((city.latitude + (fences.next() - 0.5) * 0.1).toFixed(6)),
          longitude: Number((city.longitude + (fences.next() - 0.5) * 0.1).toFixed(6)),
          radiusMeters: fences.pick([100, 250, 500, 1000]),
          contactId: contact.id,
        },
      };
    }
  }
  yield* consentRows(allUsers, allContacts, seed);
}

/** Share of subjects with each consent given (a few withdrawn again later, to show history). */
const CONSENT_RATES = {
  USER: { CALL_LOG_SYNC: 1, CONTACT_SYNC: 1, LOCATION_TRACKING: 0.65, ANALYTICS: 0.5 },
  CONTACT: { CALL_RECORDING: 0.4, MARKETING: 0.3, ANALYTICS: 0.3, PARTNER_SHARING: 0.2 },
} as const;

function* consentRows(users: UserRow[], contacts: ContactRow[], seed: string): Generator<DemoRow> {
  const random = new Random(`${seed}:consents`);
  const firstUserOf = new Map<string, string>();
  for (const user of users) if (!firstUserOf.has(user.tenantId)) firstUserOf.set(user.tenantId, user.id);
  const subjects = [
    ...users.map((u) => ({ type: 'USER' as const, id: u.id, tenantId: u.tenantId, by: u.id, source: 'mobile-app' })),
    ...contacts.map((c) => ({ type: 'CONTACT' as const, id: c.id, tenantId: c.tenantId, by: c.ownerId ?? firstUserOf.get(c.tenantId)!, source: 'web' })),
  ];
  let sequence = 0;
  for (const subject of subjects) {
    for (const [purpose, rate] of Object.entries(CONSENT_RATES[subject.type])) {
      if (!random.chance(rate)) continue;
      const granted = new Date(SEED_NOW.getTime() - random.int(60, 300) * DAY);
      const record = (status: 'GRANTED' | 'WITHDRAWN', at: Date): DemoRow => ({
        kind: 'consentRecords',
        row: {
          id: random.uuid(),
          tenantId: subject.tenantId,
          subjectType: subject.type,
          subjectId: subject.id,
          purpose,
          status,
          basis: 'CONSENT',
          source: subject.source,
          recordedBy: subject.by,
          recordedAt: at,
          sequence: (sequence += 1),
        },
      });
      yield record('GRANTED', granted);
      if (random.chance(0.1)) yield record('WITHDRAWN', new Date(granted.getTime() + random.int(1, 50) * DAY));
    }
  }
}
