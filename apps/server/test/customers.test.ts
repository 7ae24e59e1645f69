import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Customer, Ticket } from '../src/db/entities/index.js';
import { initORM } from '../src/db/orm.js';
import {
  CustomerFileError,
  importCustomerRows,
  importCustomersFile,
  parseCsv,
  readCustomerFile,
} from '../src/domain/customers/import.js';
import { customerDetail, linkTicketToCustomer, listCustomers, upsertCustomer } from '../src/domain/customers/customers.js';
import { createEmailTicket } from '../src/domain/tickets/tickets.js';
import { createTestDatabase } from './support/database.js';
import { freshHarnessPerTest, rejection, type Harness } from './support/harness.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const serverRoot = fileURLToPath(new URL('..', import.meta.url));

let h: Harness;
freshHarnessPerTest((harness) => {
  h = harness;
});

const em = () => h.orm.em.fork();
const customers = () => em().find(Customer, {}, { orderBy: { id: 'asc' } });
const reasons = (report: { rejected: Array<{ source: string; reason: string }> }) =>
  Object.fromEntries(report.rejected.map((r) => [r.source, r.reason]));
/** The stored customers as rows of a table: email, name, externalId, metadata. */
const storedRows = async () =>
  (await customers()).map((c) => [c.email, c.name, c.externalId, c.metadata] as const);

describe('importing customers from JSON', () => {
  it('creates the valid rows and rejects the others, each with its reason', async () => {
    const report = await importCustomersFile(em(), h.services, fixture('customers.json'));

    expect(report.created.map((c) => c.email)).toEqual(['ana@example.com', 'bob@example.com', 'carla@example.com']);
    expect(report.updated).toEqual([]);
    expect(reasons(report)).toEqual({
      'customers.json[3]': 'invalid email "not-an-email"',
      'customers.json[4]': 'metadata "orders" must be text, not a number (write it in quotes)',
      'customers.json[5]': 'duplicate in file: email ana@example.com is already on customers.json[0]',
      'customers.json[6]': 'missing email and externalId: a row needs at least one of them',
      'customers.json[7]': 'unknown field "phone" (put extra facts in "metadata")',
      'customers.json[8]': 'no customer has externalId "cus_9999", and a new customer needs an email',
      'customers.json[9]': 'expected an object such as { "email": "…", "name": "…" }',
      'customers.json[10]': 'duplicate in file: externalId "cus_1001" is already on customers.json[0]',
    });

    expect(await storedRows()).toEqual([
      ['ana@example.com', 'Ana Lima', 'cus_1001', { plan: 'Pro', country: 'PT' }],
      ['bob@example.com', 'Bob Stone', '1002', {}],
      ['carla@example.com', 'Carla Diaz', null, {}],
    ]);
  });

  it('a second import upserts: by externalId first, then by email, and leaves identical rows alone', async () => {
    await importCustomersFile(em(), h.services, fixture('customers.json'));
    const before = await customers();
    h.clock.advance(60_000);

    const report = await importCustomersFile(em(), h.services, fixture('customers.update.json'));
    expect(report.created).toEqual([]);
    expect(report.rejected).toEqual([]);
    expect(report.updated.map((c) => c.email)).toEqual(['ana.lima@example.com', 'carla@example.com']);
    expect(report.unchanged.map((c) => c.email)).toEqual(['bob@example.com']);

    const after = await customers();
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id)); // same records, not new ones
    expect(after[0]).toMatchObject({ email: 'ana.lima@example.com', externalId: 'cus_1001', metadata: { plan: 'Pro', country: 'PT' } });
    expect(after[2]).toMatchObject({ email: 'carla@example.com', externalId: 'cus_1003', metadata: { plan: 'Basic' } });
    expect(after[0]!.updatedAt.getTime()).toBe(h.clock.now().getTime());
    expect(after[1]!.updatedAt.getTime()).toBe(before[1]!.updatedAt.getTime());

    const again = await importCustomersFile(em(), h.services, fixture('customers.update.json'));
    expect([again.created.length, again.updated.length, again.unchanged.length]).toEqual([0, 0, 3]);
  });

  it('refuses a row whose email or externalId belongs to another stored customer', async () => {
    await importCustomersFile(em(), h.services, fixture('customers.json'));
    const byExternalId = await importCustomerRows(em(), h.services, [{ source: 'a', fields: { externalId: '1002', email: 'ana@example.com' } }]);
    const byEmail = await importCustomerRows(em(), h.services, [{ source: 'b', fields: { email: 'ana@example.com', externalId: 'cus_new' } }]);
    expect({ ...reasons(byExternalId), ...reasons(byEmail) }).toEqual({
      a: 'email ana@example.com already belongs to another customer (externalId "cus_1001")',
      b: 'email ana@example.com already belongs to the customer with externalId "cus_1001"',
    });
    expect((await customers()).find((c) => c.externalId === '1002')!.email).toBe('bob@example.com');
  });
});

describe('importing customers from CSV', () => {
  it('reads quoted fields, turns extra columns into metadata and reports bad rows by line', async () => {
    const report = await importCustomersFile(em(), h.services, fixture('customers.csv'));

    expect(report.created.map((c) => c.email)).toEqual(['ana@example.com', 'bob@example.com', 'carla@example.com', 'erin@example.com']);
    expect(reasons(report)).toEqual({
      'customers.csv:line 6': 'invalid email "not-an-email"',
      'customers.csv:line 7': 'has 4 fields, the header has 5',
      'customers.csv:line 8': 'duplicate in file: email ana@example.com is already on customers.csv:line 2',
    });
    expect(await storedRows()).toEqual([
      ['ana@example.com', 'Ana Lima', 'cus_1001', { plan: 'Pro', notes: 'Prefers email, not phone' }],
      ['bob@example.com', 'Stone, Bob', '1002', { notes: 'Said "hi" twice' }],
      ['carla@example.com', 'Carla Diaz', null, { plan: 'Basic', notes: 'Line one\r\nline two' }],
      ['erin@example.com', 'Erin', 'cus_1005', {}],
    ]);
  });

  it('reads semicolon-separated files with a byte-order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 't0-customers-'));
    try {
      const path = join(dir, 'export.csv');
      await writeFile(path, '\uFEFFE-mail;Name;ExternalId;Tier\nzoe@example.com;Zoë Ferreira;z-1;"Gold; yearly"\n');
      const report = await importCustomersFile(em(), h.services, path);
      expect(report.created).toEqual([{ source: 'export.csv:line 2', email: 'zoe@example.com' }]);
      expect((await customers())[0]).toMatchObject({ name: 'Zoë Ferreira', externalId: 'z-1', metadata: { Tier: 'Gold; yearly' } });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses a file it cannot read as a whole, naming the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 't0-customers-'));
    try {
      const write = async (name: string, text: string) => {
        await writeFile(join(dir, name), text);
        return join(dir, name);
      };
      const cases: Array<[string, RegExp]> = [
        [await write('a.csv', 'name,plan\nAna,Pro\n'), /needs an "email" or an "externalId" column/],
        [await write('b.csv', 'email,name\n"ana@example.com,Ana\n'), /line 2: a quoted field is never closed/],
        [await write('c.csv', 'email,email\nx@example.com,y@example.com\n'), /names the column "email" twice/],
        [await write('g.csv', 'email,notes\r\na@example.com,"x\r\ny"\r\nb@example.com,"A"b\r\n'), /line 4: unexpected text after a closing quote/],
        [await write('d.json', '{ "email": '), /not valid JSON/],
        [await write('e.json', '{ "email": "a@example.com" }'), /expected an array of customers/],
        [await write('f.txt', 'email\n'), /expected a \.json or \.csv file/],
        [join(dir, 'missing.csv'), /no such file/],
      ];
      for (const [path, message] of cases) {
        const error = await rejection(readCustomerFile(path));
        expect(error, path).toBeInstanceOf(CustomerFileError);
        expect(error.message, path).toMatch(message);
      }
      expect(await customers()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('parses RFC 4180 records with the line each one starts on', () => {
    expect(parseCsv('a,"b\n""c""",d\r\ne,,f\rg')).toEqual([
      { line: 1, fields: ['a', 'b\n"c"', 'd'] },
      { line: 3, fields: ['e', '', 'f'] },
      { line: 4, fields: ['g'] },
    ]);
  });
});

describe("a customer's email tickets", () => {
  it('are linked when the customer is imported, and when a ticket arrives for a known customer', async () => {
    const before = await createEmailTicket(em(), h.services, { subject: 'Parcel missing', requesterEmail: 'ana@example.com' });
    const other = await createEmailTicket(em(), h.services, { subject: 'Hello', requesterEmail: 'stranger@example.com' });
    const report = await importCustomersFile(em(), h.services, fixture('customers.json'));
    expect(report.linkedTickets).toBe(1);

    const fork = em();
    const ana = await fork.findOneOrFail(Customer, { email: 'ana@example.com' });
    expect((await fork.findOneOrFail(Ticket, { id: before.id })).customer?.id).toBe(ana.id);
    expect((await fork.findOneOrFail(Ticket, { id: other.id })).customer).toBeNull();

    const later = await createEmailTicket(fork, h.services, { subject: 'Another question', requesterEmail: 'ANA@example.com' });
    expect((await linkTicketToCustomer(fork, later))?.id).toBe(ana.id);
    await fork.flush();
    const detail = await customerDetail(em(), ana.id);
    expect(detail.tickets.map((t) => t.subject).sort()).toEqual(['Another question', 'Parcel missing']);
  });

  it('upsertCustomer creates, updates and refuses a taken email with CONFLICT', async () => {
    const created = await upsertCustomer(em(), h.services, { email: 'Ana@Example.com', name: 'Ana', metadata: { plan: 'Pro' } });
    expect(created.outcome).toBe('created');
    expect(created.customer.email).toBe('ana@example.com');
    const updated = await upsertCustomer(em(), h.services, { email: 'ana@example.com', externalId: 'cus_1', name: 'Ana Lima' });
    expect(updated).toMatchObject({ outcome: 'updated', customer: { id: created.customer.id, externalId: 'cus_1', name: 'Ana Lima', metadata: { plan: 'Pro' } } });
    await upsertCustomer(em(), h.services, { email: 'bob@example.com' });
    const error = await rejection(upsertCustomer(em(), h.services, { externalId: 'cus_1', email: 'bob@example.com' }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'email bob@example.com already belongs to another customer' });
  });

  it('the console can list customers, newest first, and search them', async () => {
    await importCustomersFile(em(), h.services, fixture('customers.json'));
    const all = await listCustomers(em(), { limit: 2 });
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const rest = await listCustomers(em(), { limit: 2, cursor: all.nextCursor! });
    expect([...all.items, ...rest.items].map((c) => c.email).sort()).toEqual(['ana@example.com', 'bob@example.com', 'carla@example.com']);
    expect((await listCustomers(em(), { limit: 10, query: 'stone' })).items.map((c) => c.email)).toEqual(['bob@example.com']);
  });
});

describe('npm run import:customers', () => {
  it('imports a file into the configured database, prints the report and exits 1 when rows were rejected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 't0-import-'));
    const database = await createTestDatabase({ file: true });
    try {
      const run = (file: string) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/import-customers.ts', '--', file], {
          cwd: serverRoot,
          env: { ...process.env, ...database.env, INIT_CWD: serverRoot },
        }).then(
          (result) => ({ code: 0, ...result }),
          (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
        );

      const first = await run(fixture('customers.csv'));
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/created\s+4 {2}ana@example\.com, bob@example\.com, carla@example\.com, erin@example\.com/);
      expect(first.stdout).toContain('✗ customers.csv:line 6: invalid email "not-an-email"');
      expect(first.stdout).toContain('Some rows were rejected (exit code 1)');

      const orm = await initORM(database.options);
      try {
        expect(await orm.em.fork().count(Customer)).toBe(4);
      } finally {
        await orm.close(true);
      }

      const unreadable = await run(join(dir, 'nope.csv'));
      expect(unreadable.code).toBe(2);
      expect(unreadable.stderr).toContain('Nothing was imported.');
    } finally {
      await rm(dir, { recursive: true });
      await database.drop();
    }
    // Two command-line runs, each compiling the script with tsx: slow on a busy machine.
  }, 60_000);
});
