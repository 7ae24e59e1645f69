// Imports customers into the configured database (DATABASE_URL, or the SQLite file at DATABASE_PATH).
//
//   npm run import:customers -- customers.json | customers.csv
//
// Rows are matched by externalId, then by email: new ones are created, known ones updated.
// Prints what was created, updated, left unchanged and rejected (with the reason).
// Exit codes: 0 everything imported; 1 some rows were rejected (the others ARE imported —
// fix the rejected ones and run again: re-importing is idempotent); 2 bad usage, bad
// configuration, an unreadable file or a database failure (nothing imported).
// File formats: see src/domain/customers/import.ts.
import { systemClock } from '../src/lib/clock.js';
import { CustomerFileError, importCustomersFile, type ImportedCustomer } from '../src/domain/customers/import.js';
import { runImportCommand } from './import-command.js';

const USAGE = `Usage: npm run import:customers -- <customers.json | customers.csv>

JSON: [{ "email", "name"?, "externalId"?, "metadata"?: { "plan": "Pro", … } }, …]  (metadata values are text)
CSV:  a header row with email, name, externalId; every other column becomes a metadata field.
Rows match stored customers by externalId, then by email.
Exit code 1 when any row was rejected (the rest is still imported), 2 on bad usage or an unreadable file.`;

runImportCommand({
  usage: USAGE,
  entries: 'rows',
  importFile: (em, target) => importCustomersFile(em, { clock: systemClock }, target),
  name: (row: ImportedCustomer) => row.email,
  maxNames: 20,
  fileError: (error) => (error instanceof CustomerFileError ? error.message : null),
  notes: (report) => (report.linkedTickets ? [`${report.linkedTickets} email ticket(s) linked to their customer.`] : []),
});
