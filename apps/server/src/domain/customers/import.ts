import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import type { EntityManager } from '@mikro-orm/sqlite';
import { customerMetadataSchema, verificationEmailSchema } from '@ticket0/contracts';
import { Customer } from '../../db/entities/index.js';
import type { Clock } from '../../lib/clock.js';
import { applyCustomerInput, CustomerIndex, linkUnlinkedTickets, resolveCustomer } from './customers.js';
import { DomainError } from '../../lib/errors.js';

/**
 * Bulk import of customers from the shop's own systems: a JSON or a CSV file. Each row is
 * matched to a stored customer by externalId first, then by email; unmatched rows with an
 * email create a customer. Fields a row leaves out keep their stored value; metadata, when
 * a row has any, replaces the stored metadata. Every row that cannot be imported is
 * reported with a reason; the others are imported anyway (in one transaction). Afterwards,
 * email tickets from a customer's address are linked to them.
 *
 * JSON: `[{ "email", "name"?, "externalId"?, "metadata"?: { "key": "text", … } }, …]` or
 * `{ "customers": [ … ] }`. A numeric externalId is taken as text; metadata values must be
 * text; other fields are refused (put extra facts in metadata).
 *
 * CSV: a header row, then one customer per row; fields may be quoted ("a, b" and "say ""hi"""
 * and line breaks inside quotes work); comma-separated, or semicolon-separated when the
 * header uses semicolons. Columns `email`, `name` and `externalId` (or `external_id`) are
 * the customer's; every other column is a metadata key, and empty cells are left out.
 */

export interface ImportedCustomer {
  /** Where in the file: `customers.csv:line 3` or `customers.json[2]`. */
  source: string;
  email: string;
}

export interface CustomerImportRejection {
  source: string;
  reason: string;
}

export interface CustomerImportReport {
  created: ImportedCustomer[];
  updated: ImportedCustomer[];
  unchanged: ImportedCustomer[];
  rejected: CustomerImportRejection[];
  /** Email tickets newly linked to their customer. */
  linkedTickets: number;
}

/** A row read from a file, before it is checked. */
export interface CustomerRow {
  source: string;
  fields: Record<string, unknown>;
}

/** Files larger than this are refused rather than read. */
export const MAX_CUSTOMER_FILE_BYTES = 20 * 1024 * 1024;

const CORE_FIELDS = ['email', 'name', 'externalId', 'metadata'] as const;

/** The file cannot be read as a whole (wrong type, broken JSON or CSV, no header …). */
export class CustomerFileError extends DomainError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

/** Imports `path` (`.json` or `.csv`), see the module comment. */
export async function importCustomersFile(em: EntityManager, deps: { clock: Clock }, path: string): Promise<CustomerImportReport> {
  return importCustomerRows(em, deps, await readCustomerFile(path));
}

/** Reads a `.json` or `.csv` file into rows; writes nothing. */
export async function readCustomerFile(path: string): Promise<CustomerRow[]> {
  const extension = extname(path).toLowerCase();
  if (extension !== '.json' && extension !== '.csv') {
    throw new CustomerFileError(`${basename(path)}: expected a .json or .csv file.`);
  }
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CustomerFileError(`${path}: no such file.`);
  }
  if (!info.isFile()) throw new CustomerFileError(`${path}: not a file.`);
  if (info.size > MAX_CUSTOMER_FILE_BYTES) {
    throw new CustomerFileError(`${basename(path)}: larger than ${MAX_CUSTOMER_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`);
  }
  const text = await readFile(path, 'utf8');
  return extension === '.json' ? parseCustomersJson(text, basename(path)) : parseCustomersCsv(text, basename(path));
}

export function parseCustomersJson(text: string, label: string): CustomerRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CustomerFileError(`${label}: not valid JSON (${(error as Error).message}).`);
  }
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.customers) ? data.customers : null;
  if (!list) throw new CustomerFileError(`${label}: expected an array of customers, or { "customers": [ … ] }.`);
  return list.map((entry: unknown, index) => ({
    source: `${label}[${index}]`,
    fields: isRecord(entry) ? entry : { [NOT_AN_OBJECT]: entry },
  }));
}

const NOT_AN_OBJECT = '\u0000not-an-object';

export function parseCustomersCsv(text: string, label: string): CustomerRow[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ''), label);
  const header = records.shift();
  if (!header) throw new CustomerFileError(`${label}: the file is empty; it needs a header row such as "email,name,externalId".`);
  const columns = header.fields.map((raw, index) => {
    const name = raw.trim();
    if (!name) throw new CustomerFileError(`${label}: column ${index + 1} of the header has no name.`);
    return coreColumn(name) ?? name;
  });
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) throw new CustomerFileError(`${label}: the header names the column "${column}" twice.`);
    seen.add(column);
  }
  if (!seen.has('email') && !seen.has('externalId')) {
    throw new CustomerFileError(`${label}: the header needs an "email" or an "externalId" column.`);
  }
  const hasMetadata = columns.some((column) => !isCoreColumn(column));
  const rows: CustomerRow[] = [];
  for (const record of records) {
    const source = `${label}:line ${record.line}`;
    // Blank lines, and rows of empty cells that spreadsheets leave at the end, are skipped.
    if (record.fields.every((field) => field.trim() === '')) continue;
    if (record.fields.length !== columns.length) {
      rows.push({
        source,
        fields: { [BAD_SHAPE]: `has ${record.fields.length} ${record.fields.length === 1 ? 'field' : 'fields'}, the header has ${columns.length}` },
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    const metadata: Record<string, string> = {};
    columns.forEach((column, index) => {
      const value = record.fields[index]!.trim();
      if (isCoreColumn(column)) {
        if (value) fields[column] = value;
      } else if (value) {
        metadata[column] = value;
      }
    });
    if (hasMetadata) fields.metadata = metadata;
    rows.push({ source, fields });
  }
  return rows;
}

const BAD_SHAPE = '\u0000bad-shape';

function coreColumn(name: string): string | null {
  const key = name.toLowerCase().replace(/[\s_-]/g, '');
  if (key === 'email' || key === 'emailaddress') return 'email';
  if (key === 'name') return 'name';
  if (key === 'externalid') return 'externalId';
  return null;
}

function isCoreColumn(column: string): column is 'email' | 'name' | 'externalId' {
  return column === 'email' || column === 'name' || column === 'externalId';
}

/**
 * RFC 4180 records (csv-parse) with the line each starts on. Quoted fields may hold the
 * delimiter, doubled quotes and line breaks; CRLF, LF and CR all end a record.
 */
export function parseCsv(text: string, label = 'file'): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  // csv-parse counts a CRLF inside quotes as two lines, so lines are counted here, from
  // the bytes each record took (its delimiter included).
  const bytes = Buffer.from(text);
  let consumed = 0;
  let line = 1;
  try {
    parse(bytes, {
      delimiter: detectDelimiter(text),
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (fields: string[], context) => {
        records.push({ line, fields });
        line += lineBreaks(bytes, consumed, context.bytes);
        consumed = context.bytes;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CustomerFileError(`${label}: line ${line}: a quoted field is never closed.`);
    }
    const at = line + lineBreaks(bytes, consumed, Number(error.bytes ?? consumed));
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
      throw new CustomerFileError(
        `${label}: line ${at}: unexpected text after a closing quote (quote the whole field, and double quotes inside it).`,
      );
    }
    throw new CustomerFileError(`${label}: line ${at}: ${error.message}.`);
  }
  return records;
}

/** Line breaks (CRLF, LF or CR, each one) in bytes[from, to). */
function lineBreaks(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) count++;
  }
  return count;
}

/** Comma, unless the first line has more semicolons (spreadsheets in many locales) or tabs. */
function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n|\r/, 1)[0] ?? '';
  const count = (char: string) => firstLine.split(char).length - 1;
  const candidates: Array<[string, number]> = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

interface CheckedRow {
  source: string;
  email: string | null;
  externalId: string | null;
  name?: string | null;
  metadata?: Record<string, string>;
}

/** One row's fields, checked: the customer input, or why it cannot be imported. */
export function checkCustomerRow(row: CustomerRow): CheckedRow | { source: string; reason: string } {
  const { source, fields } = row;
  const reject = (reason: string) => ({ source, reason });
  if (NOT_AN_OBJECT in fields) return reject('expected an object such as { "email": "…", "name": "…" }');
  if (BAD_SHAPE in fields) return reject(String(fields[BAD_SHAPE]));
  const unknown = Object.keys(fields).filter((key) => !(CORE_FIELDS as readonly string[]).includes(key));
  if (unknown.length) {
    return reject(`unknown ${unknown.length === 1 ? 'field' : 'fields'} ${unknown.map((key) => `"${key}"`).join(', ')} (put extra facts in "metadata")`);
  }

  let email: string | null = null;
  if (fields.email !== undefined && fields.email !== null && fields.email !== '') {
    if (typeof fields.email !== 'string') return reject('email must be text');
    const parsed = verificationEmailSchema.safeParse(fields.email);
    if (!parsed.success) return reject(`invalid email "${fields.email.slice(0, 100)}"`);
    email = parsed.data;
  }

  let externalId: string | null = null;
  if (fields.externalId !== undefined && fields.externalId !== null && fields.externalId !== '') {
    const value = fields.externalId;
    if (typeof value === 'number' && Number.isSafeInteger(value)) externalId = String(value);
    else if (typeof value === 'string') externalId = value.trim() || null;
    else return reject('externalId must be text');
    if (externalId && externalId.length > 200) return reject('externalId is longer than 200 characters');
  }
  if (!email && !externalId) return reject('missing email and externalId: a row needs at least one of them');

  const checked: CheckedRow = { source, email, externalId };
  if (fields.name !== undefined && fields.name !== null) {
    if (typeof fields.name !== 'string') return reject('name must be text');
    if (fields.name.trim().length > 200) return reject('name is longer than 200 characters');
    checked.name = fields.name.trim() || null;
  }
  if (fields.metadata !== undefined && fields.metadata !== null) {
    if (!isRecord(fields.metadata)) return reject('metadata must be an object of text values, such as { "plan": "Pro" }');
    const nonText = Object.entries(fields.metadata).find(([, value]) => typeof value !== 'string');
    if (nonText) {
      return reject(`metadata "${nonText[0]}" must be text, not ${describe(nonText[1])} (write it in quotes)`);
    }
    const parsed = customerMetadataSchema.safeParse(fields.metadata);
    if (!parsed.success) return reject(`metadata: ${parsed.error.issues[0]!.message}`);
    checked.metadata = parsed.data;
  }
  return checked;
}

/**
 * Checks and applies rows in order (see the module comment). A customer may appear once per
 * file: later rows with the same email or externalId are rejected.
 */
export async function importCustomerRows(em: EntityManager, deps: { clock: Clock }, rows: CustomerRow[]): Promise<CustomerImportReport> {
  const report: CustomerImportReport = { created: [], updated: [], unchanged: [], rejected: [], linkedTickets: 0 };
  const valid: CheckedRow[] = [];
  const firstByEmail = new Map<string, string>();
  const firstByExternalId = new Map<string, string>();
  for (const row of rows) {
    const checked = checkCustomerRow(row);
    if ('reason' in checked) {
      report.rejected.push(checked);
      continue;
    }
    const sameExternal = checked.externalId ? firstByExternalId.get(checked.externalId) : undefined;
    const sameEmail = checked.email ? firstByEmail.get(checked.email) : undefined;
    if (sameExternal || sameEmail) {
      report.rejected.push({
        source: checked.source,
        reason: sameExternal
          ? `duplicate in file: externalId "${checked.externalId}" is already on ${sameExternal}`
          : `duplicate in file: email ${checked.email} is already on ${sameEmail}`,
      });
      continue;
    }
    if (checked.externalId) firstByExternalId.set(checked.externalId, checked.source);
    if (checked.email) firstByEmail.set(checked.email, checked.source);
    valid.push(checked);
  }

  const index = new CustomerIndex();
  for (const chunk of chunks([...firstByEmail.keys()], 500)) {
    for (const customer of await em.find(Customer, { email: { $in: chunk } })) index.add(customer);
  }
  for (const chunk of chunks([...firstByExternalId.keys()], 500)) {
    for (const customer of await em.find(Customer, { externalId: { $in: chunk } })) index.add(customer);
  }

  for (const row of valid) {
    const resolved = resolveCustomer(index, row);
    if ('reason' in resolved) {
      report.rejected.push({ source: row.source, reason: resolved.reason });
      continue;
    }
    const { customer, outcome } = applyCustomerInput(em, deps, index, resolved.customer, row);
    report[outcome].push({ source: row.source, email: customer.email });
  }
  await em.flush();
  if (report.created.length || report.updated.length) report.linkedTickets = await linkUnlinkedTickets(em);
  return report;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
