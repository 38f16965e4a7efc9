/**
 * The upload check (docs/design.md, "Upload checks"): decides whether a
 * stream of bytes is a well-formed CSV file within limits, reading it once,
 * chunk by chunk. Memory is bounded by one chunk and the header names, never the file.
 *
 * Decided in this order: `too_large` (declared size, before reading), then
 * while streaming `not_csv`, `bad_encoding`, `parse_error`/`too_many_columns`,
 * and at the end `empty`. `quota_exceeded` is decided later, by the result store.
 * The bytes are checked by TextSniffer, the CSV structure by CsvScanner.
 */
import { CsvScanner, type ScanProblem } from './csv-scanner';
import { isSniffProblem, TextSniffer } from './text-sniffer';

/**
 * Why a version is rejected. Besides the CSV check's own reasons, the checker
 * decides `bad_name` (the key breaks the file-name rule), `storage_class` (S3
 * cannot serve the version, e.g. an archive class), `content_type` (the stored
 * Content-Type is not allowed) and, last, `quota_exceeded`.
 */
export type RejectReason =
  'too_large' | 'not_csv' | 'bad_encoding' | 'parse_error' | 'too_many_columns' | 'empty' | 'quota_exceeded' | 'bad_name' | 'storage_class' | 'content_type';

export type CheckWarning = 'formula_cells';

export interface CsvLimits {
  /** Largest object accepted, in bytes. */
  readonly maxBytes: number;
  readonly maxColumns: number;
  /** Largest single field, in UTF-8 bytes. */
  readonly maxFieldBytes: number;
}

export interface Accepted {
  readonly status: 'accepted';
  /** Data rows, the header row excluded. */
  readonly rows: number;
  readonly columns: number;
  /** The first row, capped at HEADER_MAX_NAMES names of HEADER_MAX_CHARS characters. */
  readonly header: string[];
  readonly warnings: CheckWarning[];
}

export interface Rejected {
  readonly status: 'rejected';
  readonly reason: RejectReason;
  /** For people; describes the problem without quoting the file. */
  readonly message: string;
}

export type CheckOutcome = Accepted | Rejected;

export const HEADER_MAX_NAMES = 100;
export const HEADER_MAX_CHARS = 256;

export const reject = (reason: RejectReason, message: string): Rejected => ({ status: 'rejected', reason, message });

/** Anything that yields byte chunks: a Node Readable, a web stream, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array>;

/**
 * Checks `source`, whose declared size (from the S3 event) is `declaredSize`.
 * Rejections are results, not errors; it throws only when `source` itself fails.
 * Stops reading at the first problem (`for await` then closes the source).
 */
export async function checkCsv(source: ByteSource, declaredSize: number, limits: CsvLimits): Promise<CheckOutcome> {
  if (declaredSize > limits.maxBytes) return tooLarge(declaredSize, limits);
  const sniffer = new TextSniffer();
  const scanner = new CsvScanner({
    maxColumns: limits.maxColumns,
    maxFieldBytes: limits.maxFieldBytes,
    headerNames: HEADER_MAX_NAMES,
    headerChars: HEADER_MAX_CHARS,
  });
  for await (const chunk of source) {
    // The declared size is S3's; the bytes are counted again in case they differ.
    if (sniffer.bytes + chunk.length > limits.maxBytes) return tooLarge(sniffer.bytes + chunk.length, limits);
    const data = sniffer.push(chunk);
    if (isSniffProblem(data)) return reject(data.reason, data.message);
    const problem = scanner.push(data);
    if (problem) return scanProblem(problem, limits);
  }
  const data = sniffer.end();
  if (isSniffProblem(data)) return reject(data.reason, data.message);
  if (!sniffer.hasContent) return reject('empty', 'The file is empty: it has no rows.');
  const last = scanner.push(data);
  if (last) return scanProblem(last, limits);
  const summary = scanner.end();
  if ('kind' in summary) return scanProblem(summary, limits);
  return {
    status: 'accepted',
    rows: summary.records - 1,
    columns: summary.columns,
    header: summary.header,
    warnings: summary.formulaCells ? ['formula_cells'] : [],
  };
}

function tooLarge(size: number, limits: CsvLimits): Rejected {
  return reject('too_large', `The file is ${size} bytes or more; at most ${limits.maxBytes} bytes are allowed.`);
}

/** Messages name the line and the rule, never the content. */
function scanProblem(problem: ScanProblem, limits: CsvLimits): Rejected {
  const at = `(line ${problem.line})`;
  switch (problem.kind) {
    case 'too_many_columns':
      return reject('too_many_columns', `A row has more than ${limits.maxColumns} columns ${at}.`);
    case 'field_too_large':
      return reject('parse_error', `A field is larger than ${limits.maxFieldBytes} bytes ${at}.`);
    case 'unclosed_quote':
      return reject('parse_error', `A quoted field is never closed ${at}.`);
    case 'quote_in_unquoted_field':
      return reject('parse_error', `A quote appears inside an unquoted field; quote the whole field and double the quotes inside it ${at}.`);
    case 'text_after_closing_quote':
      return reject('parse_error', `A closing quote is followed by something other than a comma or a line end ${at}.`);
    case 'ragged_row':
      return reject('parse_error', `A row has ${problem.columns} columns where the first row has ${problem.expected} ${at}.`);
  }
}
