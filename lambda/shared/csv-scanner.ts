/**
 * A strict RFC 4180 scanner over UTF-8 bytes: it validates structure and
 * counts rows and columns without building rows, so memory stays at one chunk
 * plus the first row's names.
 *
 * Why not csv-parse: on the 2-core benchmark machine csv-parse validated about
 * 15 MB/s, against the checker's budget of 50 MB/s (README, Performance). The
 * tests hold this scanner to csv-parse's verdicts (strict quotes, one column
 * count, empty lines skipped) on generated input.
 *
 * Rules: fields separated by `,`; rows end with LF, CRLF or a lone CR; a field
 * is either unquoted (no `"` inside) or wholly quoted with `""` for a quote;
 * after a closing quote comes `,`, a line end or the end of the file. Lines
 * with no bytes are skipped.
 */

export type ScanProblem =
  | { readonly kind: 'unclosed_quote'; readonly line: number }
  | { readonly kind: 'quote_in_unquoted_field'; readonly line: number }
  | { readonly kind: 'text_after_closing_quote'; readonly line: number }
  | { readonly kind: 'ragged_row'; readonly line: number; readonly columns: number; readonly expected: number }
  | { readonly kind: 'too_many_columns'; readonly line: number; readonly columns: number }
  | { readonly kind: 'field_too_large'; readonly line: number };

export interface ScanLimits {
  readonly maxColumns: number;
  readonly maxFieldBytes: number;
  /** Names kept from the first row, and characters kept per name. */
  readonly headerNames: number;
  readonly headerChars: number;
}

export interface ScanSummary {
  /** Non-empty rows, the first (header) row included. */
  readonly records: number;
  readonly columns: number;
  readonly header: string[];
  /** A cell starts with `=`, `+`, `-` or `@`, possibly after tabs, carriage returns and spaces. */
  readonly formulaCells: boolean;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const MINUS = 0x2d;
const AT = 0x40;
const TAB = 0x09;
const SPACE = 0x20;

const enum State {
  /** At the start of a field (after `,` or a line end). */
  FieldStart,
  Unquoted,
  Quoted,
  /** Inside a quoted field, just after a `"`: either `""` or the closing quote. */
  QuoteInQuoted,
  /** Just after a CR: a following LF belongs to the same line end. */
  AfterCR,
}

export class CsvScanner {
  private state = State.FieldStart;
  private line = 1;
  private records = 0;
  private columns = 0;
  /** Fields completed in the current row. */
  private fields = 0;
  /** Content bytes of the current field. */
  private fieldBytes = 0;
  /** Bytes of the current line, to tell an empty line from a row with one empty field. */
  private lineBytes = 0;
  private formulaCells = false;
  /** The current field has had only tabs, CRs and spaces so far (spreadsheets skip them before a formula). */
  private lead = false;
  private header: string[] = [];
  private headerField: number[] = [];
  private problem: ScanProblem | undefined;

  constructor(private readonly limits: ScanLimits) {}

  /** Scans one chunk; returns the first problem found, then keeps returning it. */
  push(bytes: Uint8Array): ScanProblem | undefined {
    if (this.problem) return this.problem;
    const { maxFieldBytes } = this.limits;
    let state = this.state;
    let fieldBytes = this.fieldBytes;
    let lineBytes = this.lineBytes;
    let lead = this.lead;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      switch (state) {
        case State.AfterCR:
          state = State.FieldStart;
          // A lone CR ended the line: read this byte again as the next line's first.
          if (b !== LF) i--;
          continue;
        case State.FieldStart:
          fieldBytes = 0;
          if (b === QUOTE) {
            state = State.Quoted;
            lead = true;
            lineBytes++;
            continue;
          }
          if (b === COMMA || b === LF || b === CR) break; // an empty field: handled below
          if (b === EQUALS || b === PLUS || b === MINUS || b === AT) this.formulaCells = true;
          lead = b === TAB || b === SPACE;
          state = State.Unquoted;
          break;
        case State.Quoted:
          if (b === QUOTE) {
            state = State.QuoteInQuoted;
            lineBytes++;
            continue;
          }
          if (lead) lead = this.leadByte(b, true);
          if (b === LF) this.line++; // line numbers are for messages: LF is counted, a lone CR is not
          lineBytes++;
          if (++fieldBytes > maxFieldBytes) return this.fail({ kind: 'field_too_large', line: this.line });
          if (this.records === 0) this.keepHeaderByte(b);
          continue;
        case State.QuoteInQuoted:
          if (b === QUOTE) {
            state = State.Quoted;
            lead = false;
            lineBytes++;
            if (++fieldBytes > maxFieldBytes) return this.fail({ kind: 'field_too_large', line: this.line });
            if (this.records === 0) this.keepHeaderByte(b);
            continue;
          }
          if (b !== COMMA && b !== LF && b !== CR) return this.fail({ kind: 'text_after_closing_quote', line: this.line });
          break; // the field ended: handled below
        case State.Unquoted:
          // A separator ends the field before it can count as leading content.
          if (lead && b !== COMMA && b !== LF && b !== CR) lead = this.leadByte(b, false);
          break;
      }
      // Unquoted content, or a separator ending any field.
      if (b === COMMA || b === LF || b === CR) {
        lineBytes++;
        const problem = this.endField();
        if (problem) return this.fail(problem);
        if (b === COMMA) {
          state = State.FieldStart;
        } else {
          const lineProblem = this.endLine(lineBytes === 1);
          if (lineProblem) return this.fail(lineProblem);
          lineBytes = 0;
          state = b === CR ? State.AfterCR : State.FieldStart;
        }
        continue;
      }
      if (b === QUOTE) return this.fail({ kind: 'quote_in_unquoted_field', line: this.line });
      lineBytes++;
      if (++fieldBytes > maxFieldBytes) return this.fail({ kind: 'field_too_large', line: this.line });
      if (this.records === 0) this.keepHeaderByte(b);
    }
    this.state = state;
    this.fieldBytes = fieldBytes;
    this.lineBytes = lineBytes;
    this.lead = lead;
    return undefined;
  }

  /** End of input: closes the last row. */
  end(): ScanProblem | ScanSummary {
    if (this.problem) return this.problem;
    if (this.state === State.Quoted) return this.fail({ kind: 'unclosed_quote', line: this.line });
    if (this.lineBytes > 0) {
      const problem = this.endField() ?? this.endLine(false);
      if (problem) return this.fail(problem);
    }
    return { records: this.records, columns: this.columns, header: this.header, formulaCells: this.formulaCells };
  }

  /**
   * One byte of a field that so far holds only tabs, spaces (and, quoted, CRs): flags a formula
   * character, and returns whether the field is still in its leading blanks.
   */
  private leadByte(b: number, quoted: boolean): boolean {
    if (b === EQUALS || b === PLUS || b === MINUS || b === AT) {
      this.formulaCells = true;
      return false;
    }
    return b === TAB || b === SPACE || (quoted && b === CR);
  }

  private fail(problem: ScanProblem): ScanProblem {
    this.problem = problem;
    return problem;
  }

  private endField(): ScanProblem | undefined {
    this.fields++;
    if (this.fields > this.limits.maxColumns) {
      return { kind: 'too_many_columns', line: this.line, columns: this.fields };
    }
    if (this.records === 0) {
      if (this.header.length < this.limits.headerNames) {
        const name = new TextDecoder().decode(Uint8Array.from(this.headerField));
        this.header.push([...name].slice(0, this.limits.headerChars).join(''));
      }
      this.headerField = [];
    }
    return undefined;
  }

  /** A line end; `empty` when the line had no bytes but its line end. */
  private endLine(empty: boolean): ScanProblem | undefined {
    const fields = this.fields;
    this.fields = 0;
    const line = this.line;
    this.line++;
    // An empty line (just the line end): skipped, as csv-parse's skip_empty_lines does.
    if (empty) {
      if (this.records === 0) this.header = [];
      return undefined;
    }
    this.records++;
    if (this.records === 1) {
      this.columns = fields;
      return undefined;
    }
    if (fields !== this.columns) return { kind: 'ragged_row', line, columns: fields, expected: this.columns };
    return undefined;
  }

  /** Keeps enough bytes of a header name for headerChars characters (at most 4 bytes each). */
  private keepHeaderByte(b: number): void {
    if (this.header.length < this.limits.headerNames && this.headerField.length < this.limits.headerChars * 4) this.headerField.push(b);
  }
}
