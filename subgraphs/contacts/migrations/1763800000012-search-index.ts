import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { describeLargeTenants } from '../../../platform/sqlite-planner';
import { ContactEntity, MAX_WORD_LENGTH, SEARCHED_FIELDS } from '../entities';
import { writeTokens } from '../search-index';

const TRIGGERS = ['TRG_contacts_search_insert', 'TRG_contacts_search_update', 'TRG_contacts_search_delete'];
const BACKFILL_BATCH = 1000;

/**
 * The contacts' search index (subgraphs/contacts/search-index.ts): a table of words per contact
 * and field, searched by prefix on (tenantId, field, token), and a table of contacts written since
 * they were indexed. Triggers mark every insert and every change of a searched field or of the
 * tenant, and drop a deleted contact's words, whoever writes; the subgraph indexes marked contacts
 * before it searches. The words of the contacts already there are written here.
 *
 * The token column compares as binary on MySQL too (utf8mb4_bin), as on SQLite: prefix ranges
 * are ranges of code points, not of a collation's weights.
 */
export class SearchIndexContacts1763800000012 implements MigrationInterface {
  name = 'SearchIndexContacts1763800000012';

  async up(runner: QueryRunner): Promise<void> {
    const mysql = runner.connection.options.type === 'mysql';
    const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
    await runner.createTable(
      new Table({
        name: 'contact_search_tokens',
        columns: [
          { ...ref('contactId'), isPrimary: true },
          { name: 'field', type: 'varchar', length: '16', isPrimary: true },
          { name: 'token', type: 'varchar', length: String(MAX_WORD_LENGTH), isPrimary: true, ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}) },
          ref('tenantId'),
        ],
        indices: [{ name: 'IDX_contact_search_tokens_lookup', columnNames: ['tenantId', 'field', 'token', 'contactId'] }],
      }),
    );
    await runner.createTable(
      new Table({ name: 'contact_search_pending', columns: [{ ...ref('tenantId'), isPrimary: true }, { ...ref('contactId'), isPrimary: true }] }),
    );

    const q = (name: string) => runner.connection.driver.escape(name);
    const mark = mysql
      ? `INSERT IGNORE INTO ${q('contact_search_pending')} (${q('tenantId')}, ${q('contactId')}) VALUES (NEW.${q('tenantId')}, NEW.${q('id')})`
      : `INSERT OR IGNORE INTO ${q('contact_search_pending')} (${q('tenantId')}, ${q('contactId')}) VALUES (NEW.${q('tenantId')}, NEW.${q('id')})`;
    const forget = [
      `DELETE FROM ${q('contact_search_tokens')} WHERE ${q('contactId')} = OLD.${q('id')}`,
      `DELETE FROM ${q('contact_search_pending')} WHERE ${q('contactId')} = OLD.${q('id')}`,
    ];
    const watched = ['tenantId', ...SEARCHED_FIELDS];
    const [insert, update, remove] = TRIGGERS.map(q) as [string, string, string];
    if (mysql) {
      const changed = watched.map((c) => `NOT (OLD.${q(c)} <=> NEW.${q(c)})`).join(' OR ');
      await runner.query(`CREATE TRIGGER ${insert} AFTER INSERT ON ${q('contacts')} FOR EACH ROW BEGIN ${mark}; END`);
      await runner.query(`CREATE TRIGGER ${update} AFTER UPDATE ON ${q('contacts')} FOR EACH ROW BEGIN IF ${changed} THEN ${mark}; END IF; END`);
      await runner.query(`CREATE TRIGGER ${remove} AFTER DELETE ON ${q('contacts')} FOR EACH ROW BEGIN ${forget.join('; ')}; END`);
    } else {
      await runner.query(`CREATE TRIGGER ${insert} AFTER INSERT ON ${q('contacts')} FOR EACH ROW BEGIN ${mark}; END`);
      await runner.query(`CREATE TRIGGER ${update} AFTER UPDATE OF ${watched.map(q).join(', ')} ON ${q('contacts')} FOR EACH ROW BEGIN ${mark}; END`);
      await runner.query(`CREATE TRIGGER ${remove} AFTER DELETE ON ${q('contacts')} FOR EACH ROW BEGIN ${forget.join('; ')}; END`);
    }

    // The contacts already there, in batches by id.
    let after = '';
    for (;;) {
      // Only the columns the index needs, named here: a later migration's columns do not exist yet.
      const contacts = await runner.manager
        .createQueryBuilder(ContactEntity, 'c')
        .select(['c.id', 'c.tenantId', ...SEARCHED_FIELDS.map((field) => `c.${field}`)])
        .where('c.id > :after', { after })
        .orderBy('c.id', 'ASC')
        .take(BACKFILL_BATCH)
        .getMany();
      if (contacts.length === 0) break;
      await writeTokens(runner.manager, contacts, contacts.map((c) => c.id));
      after = contacts[contacts.length - 1]!.id;
    }
    await describeLargeTenants(runner, ['contact_search_tokens', 'contact_search_pending']);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const name of TRIGGERS) await runner.query(`DROP TRIGGER IF EXISTS ${runner.connection.driver.escape(name)}`);
    await runner.dropTable('contact_search_pending');
    await runner.dropTable('contact_search_tokens');
  }
}
