import { parse } from 'graphql';
import { EntitySchema } from 'typeorm';
import { lintInventoryClassification, lintSubgraphPrivacy } from '../../privacy/classification';
import { fingerprint, fingerprintKey } from '../../privacy/inventory/fingerprint';
import { lintInventory } from '../../privacy/inventory/lint';
import type { SubgraphInventory } from '../../privacy/inventory/types';
import { readSubgraphSdl } from '../../schema';
import { SUBGRAPHS } from '../../subgraphs';
import { callsInventory } from '../../subgraphs/calls/inventory';
import { contactsInventory } from '../../subgraphs/contacts/inventory';
import { SUBGRAPH_NAMES } from '../../subgraphs/shared/subgraph';

const contactsSdl = () => readSubgraphSdl('contacts');

describe('data inventory', () => {
  it('passes its own lint and agrees with the SDL in all four subgraphs', () => {
    for (const name of SUBGRAPH_NAMES) expect(lintSubgraphPrivacy(name, SUBGRAPHS[name].typeDefs, SUBGRAPHS[name].inventory)).toEqual([]);
  });

  it('gives the privacy engine the subject specs it had declared by hand, with the age facts of the children gate and the expiry of closed accounts', () => {
    expect({ ...SUBGRAPHS.accounts.subjects, ...SUBGRAPHS.contacts.subjects, ...SUBGRAPHS.calls.subjects, ...SUBGRAPHS.location.subjects }).toEqual({
      User: { kind: 'USER', person: { type: 'USER', column: 'id' }, relatedUser: 'id', team: 'teamId', installer: 'id', expiredWhen: { column: 'status', equals: 'CLOSED' } },
      Contact: { kind: 'CONTACT', person: { type: 'CONTACT', column: 'id' }, relatedUser: 'ownerId', team: 'teamId', birthDate: 'birthDate' },
      CallLog: { kind: 'CALL_LOG', person: { type: 'USER', column: 'userId' }, relatedUser: 'userId', counterpart: { type: 'CONTACT', column: 'contactId' } },
      LocationPing: { kind: 'LOCATION', person: { type: 'USER', column: 'userId' }, relatedUser: 'userId' },
      Geofence: { kind: 'CONTACT', person: { type: 'CONTACT', column: 'contactId', optional: true }, ageUnknown: true },
    });
  });

  it('fails a @personal field whose backing column has no inventory entry', () => {
    const sdl = parse(contactsSdl().replace('source: LeadSource! @nonPersonal', 'source: LeadSource! @nonPersonal\n  nickname: String @personal(category: "user.name")'));
    expect(lintInventoryClassification('contacts', sdl, contactsInventory)).toEqual(['contacts: Contact.nickname is @personal but no inventory column backs it (inventory Contact)']);
    const notPersonal = { ...contactsInventory, entities: [{ ...contactsInventory.entities[0]!, columns: { ...contactsInventory.entities[0]!.columns, company: {} } }] };
    expect(lintInventoryClassification('contacts', parse(contactsSdl()), notPersonal)).toEqual(['contacts: Contact.company is @personal but no inventory column backs it (inventory Contact)']);
  });

  it('fails when the SDL and the inventory disagree on a category', () => {
    const sdl = parse(contactsSdl().replace('company: String @personal(category: "user.workplace")', 'company: String @personal(category: "user.job_title")'));
    expect(lintInventoryClassification('contacts', sdl, contactsInventory)).toEqual(['contacts: Contact.company is @personal(category: "user.job_title") but its column company is inventoried as "user.workplace"']);
  });

  it('fails a personal column of the inventory that the SDL exposes as @nonPersonal', () => {
    const sdl = parse(contactsSdl().replace('address: String @personal(category: "user.contact.address")', 'address: String @nonPersonal'));
    expect(lintInventoryClassification('contacts', sdl, contactsInventory)).toEqual(['contacts: Contact.address is @nonPersonal but its column address is inventoried as personal ("user.contact.address")']);
  });

  it('fails a personal type no inventoried table backs', () => {
    const withoutCalls: SubgraphInventory = { entities: [] };
    expect(lintInventoryClassification('calls', SUBGRAPHS.calls.typeDefs, withoutCalls)).toContain('calls: CallLog.notes is @personal but no inventoried table backs CallLog');
  });

  it('fails an inventory erasure cannot carry out on its table', () => {
    const calls = callsInventory.entities[0]!;
    // The call table as it was before the erasure migration: the number NOT NULL, and a column the inventory does not know.
    const columns = { ...calls.schema.options.columns, counterpartyNumber: { type: 'varchar', length: 20, nullable: false }, followUpAt: { type: 'datetime', nullable: true } };
    const schema = new EntitySchema<any>({ ...calls.schema.options, columns } as any);
    const { objects: _objects, ...noHooks } = callsInventory;
    const problems = lintInventory('calls', { ...noHooks, entities: [{ ...calls, schema, keptBecause: undefined, links: [{ ...calls.links[0]!, linkErasure: undefined }, calls.links[1]!] }] });
    expect(problems).toEqual([
      'calls: inventory CallLog.followUpAt is a column of the table with no inventory entry',
      'calls: inventory CallLog keeps rows anonymized without saying why (keptBecause)',
      'calls: inventory CallLog.userId keeps its row on erasure but does not say what the link becomes (linkErasure)',
      'calls: inventory CallLog.counterpartyNumber is nulled when its row is kept but is NOT NULL (make it nullable or give a replacement value)',
      'calls: inventory CallLog.recordingUrl names stored object "recording" with no hook',
    ]);
  });
});

describe('fingerprints', () => {
  const key = fingerprintKey('a-master-secret-of-at-least-32-characters', 'tenant-a');
  it('are equal for one value however it is written, per kind', () => {
    expect(fingerprint(key, 'phone', '+91 98765-43210')).toBe(fingerprint(key, 'phone', '+919876543210'));
    expect(fingerprint(key, 'email', ' Ravi.Kumar@Example.COM')).toBe(fingerprint(key, 'email', 'ravi.kumar@example.com'));
    expect(fingerprint(key, 'name', 'Ravi   Kumar')).toBe(fingerprint(key, 'text', 'ravi kumar'));
    expect(fingerprint(key, 'email', 'ravi@example.com')).not.toBe(fingerprint(key, 'text', 'ravi@example.com'));
    expect(fingerprint(key, 'name', '  ')).toBeNull();
  });

  it('differ between tenants and never contain the value', () => {
    const other = fingerprintKey('a-master-secret-of-at-least-32-characters', 'tenant-b');
    expect(fingerprint(key, 'phone', '+919876543210')).not.toBe(fingerprint(other, 'phone', '+919876543210'));
    expect(fingerprint(key, 'phone', '+919876543210')).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
  });
});
