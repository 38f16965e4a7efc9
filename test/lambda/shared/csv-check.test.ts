import fc from 'fast-check';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { checkCsv, HEADER_MAX_CHARS, HEADER_MAX_NAMES, type CheckOutcome, type CsvLimits } from '../../../lambda/shared/csv-check';

const LIMITS: CsvLimits = { maxBytes: 1024 * 1024, maxColumns: 1000, maxFieldBytes: 128 * 1024 };

/** Yields the input in chunks of `size` bytes, as a stream would. */
async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const check = (input: string | Uint8Array, limits: CsvLimits = LIMITS, chunkSize = 7): Promise<CheckOutcome> => {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return checkCsv(chunks(bytes, chunkSize), bytes.length, limits);
};

const reasonOf = (outcome: CheckOutcome) => (outcome.status === 'rejected' ? outcome.reason : 'accepted');

describe('checkCsv accepts well-formed CSV', () => {
  test('GIVEN a header and two rows WHEN checked THEN accepted with 2 rows, 2 columns and the header', async () => {
    expect(await check('name,score\nalice,1\nbob,2\n')).toEqual({ status: 'accepted', rows: 2, columns: 2, header: ['name', 'score'], warnings: [] });
  });

  test('GIVEN CRLF line ends, no final line end, a UTF-8 BOM WHEN checked THEN the BOM is not part of the header', async () => {
    expect(await check('\uFEFFname,score\r\nalice,1')).toMatchObject({ status: 'accepted', rows: 1, header: ['name', 'score'] });
  });

  test('GIVEN quoted fields with commas, doubled quotes and line breaks WHEN checked THEN they count as one field each', async () => {
    expect(await check('a,"b, ""c""\nd"\n"1",""\n')).toEqual({ status: 'accepted', rows: 1, columns: 2, header: ['a', 'b, "c"\nd'], warnings: [] });
  });

  test('GIVEN multi-byte characters split across chunks WHEN checked in 1-byte chunks THEN accepted', async () => {
    expect(await check('naïve,日本\n€,😀\n', LIMITS, 1)).toMatchObject({ status: 'accepted', rows: 1, header: ['naïve', '日本'] });
  });

  test('GIVEN blank lines between rows WHEN checked THEN they are skipped, not counted', async () => {
    expect(await check('a,b\n\n1,2\n\r\n3,4\n\n')).toMatchObject({ status: 'accepted', rows: 2 });
  });

  test('GIVEN only a header row WHEN checked THEN accepted with 0 rows', async () => {
    expect(await check('a,b,c\n')).toMatchObject({ status: 'accepted', rows: 0, columns: 3 });
  });

  test.each(['=SUM(A1)', '+1', '-1', '@cmd', '"=quoted"'])('GIVEN a cell %s WHEN checked THEN accepted with the formula_cells warning', async (cell) => {
    expect(await check(`a,b\nx,${cell}\n`)).toMatchObject({ status: 'accepted', warnings: ['formula_cells'] });
  });

  test.each([
    ['a tab before =', 'x,\t=SUM(A1)\n'],
    ['spaces before +', 'x,  +1\n'],
    ['a space and a tab before -', 'x, \t-2\n'],
    ['spaces inside quotes before @', 'x,"  @SUM(A1)"\n'],
    ['a CR inside quotes before =', 'x,"\r=1"\n'],
    ['blanks before = in the first column', ' =1,y\n'],
  ])('GIVEN %s WHEN checked, whole or a byte at a time, THEN the formula_cells warning (spreadsheets skip leading blanks)', async (_label, row) => {
    expect(await check(`a,b\n${row}`)).toMatchObject({ status: 'accepted', warnings: ['formula_cells'] });
    expect(await check(`a,b\n${row}`, LIMITS, 1)).toMatchObject({ status: 'accepted', warnings: ['formula_cells'] });
  });

  test.each([
    ['leading blanks before text', 'x,  \tabc\n'],
    ['a formula character after text and blanks', 'x,a =1\n'],
    ['blanks only', 'x, \t\n'],
    ['an escaped quote before =', 'x,"""=1"\n'],
  ])('GIVEN %s WHEN checked THEN no warning', async (_label, row) => {
    expect(await check(`a,b\n${row}`, LIMITS, 1)).toMatchObject({ status: 'accepted', warnings: [] });
  });

  test('GIVEN a formula character inside a cell, not at its start WHEN checked THEN no warning', async () => {
    expect(await check('a,b\nx,1+1=2\n')).toMatchObject({ status: 'accepted', warnings: [] });
  });

  test('GIVEN a very wide header with long names WHEN checked THEN the header is capped in names and characters', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `${'n'.repeat(300)}${i}`);
    const outcome = await check(`${names.join(',')}\n`);
    expect(outcome).toMatchObject({ status: 'accepted', columns: 150 });
    const header = (outcome as { header: string[] }).header;
    expect(header).toHaveLength(HEADER_MAX_NAMES);
    expect(header.every((name) => name.length === HEADER_MAX_CHARS)).toBe(true);
  });
});

describe('checkCsv rejects, with the documented reason', () => {
  test('GIVEN a declared size over the limit WHEN checked THEN too_large without reading a byte', async () => {
    let read = false;
    const source = (async function* () {
      read = true;
      yield Buffer.from('a\n');
    })();
    expect(await checkCsv(source, LIMITS.maxBytes + 1, LIMITS)).toMatchObject({ status: 'rejected', reason: 'too_large' });
    expect(read).toBe(false);
  });

  test('GIVEN more bytes than declared and allowed WHEN checked THEN too_large', async () => {
    const bytes = Buffer.from('a\n'.repeat(600));
    expect(reasonOf(await checkCsv(chunks(bytes, 100), 10, { ...LIMITS, maxBytes: 1000 }))).toBe('too_large');
  });

  test.each([
    ['ZIP / xlsx', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]],
    ['PDF', [...Buffer.from('%PDF-1.7\n')]],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['GIF', [...Buffer.from('GIF89a,,')]],
    ['ELF', [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]],
    ['gzip', [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]],
  ])('GIVEN a %s signature WHEN checked THEN not_csv', async (_what, bytes) => {
    expect(reasonOf(await check(Uint8Array.from(bytes), LIMITS, 3))).toBe('not_csv');
  });

  test('GIVEN a NUL byte far into otherwise valid CSV WHEN checked THEN not_csv', async () => {
    expect(reasonOf(await check(`a,b\n${'1,2\n'.repeat(100)}3,\u0000\n`))).toBe('not_csv');
  });

  test.each([
    ['Latin-1 é', [0x61, 0x2c, 0xe9, 0x0a]],
    ['a UTF-16 BOM', [0xff, 0xfe, 0x61, 0x00]],
    ['a truncated multi-byte character at the end', [0x61, 0x0a, 0xe2, 0x82]],
    ['an overlong encoding', [0x61, 0xc0, 0xaf, 0x0a]],
  ])('GIVEN %s WHEN checked THEN bad_encoding (or not_csv for NULs)', async (what, bytes) => {
    expect(reasonOf(await check(Uint8Array.from(bytes)))).toBe(what === 'a UTF-16 BOM' ? 'not_csv' : 'bad_encoding');
  });

  test.each([
    ['an unterminated quote', 'a,b\n"1,2\n'],
    ['a row with fewer columns', 'a,b\n1\n'],
    ['a row with more columns', 'a,b\n1,2,3\n'],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n'],
    ['text after a closing quote', 'a,b\n"1"x,2\n'],
  ])('GIVEN %s WHEN checked THEN parse_error', async (_what, csv) => {
    expect(reasonOf(await check(csv))).toBe('parse_error');
  });

  test('GIVEN a field one byte over maxFieldBytes WHEN checked THEN parse_error; at the limit THEN accepted', async () => {
    const limits = { ...LIMITS, maxFieldBytes: 10 };
    expect(reasonOf(await check(`a\n${'é'.repeat(5)}\n`, limits))).toBe('accepted');
    expect(reasonOf(await check(`a\n${'é'.repeat(5)}x\n`, limits))).toBe('parse_error');
    expect(reasonOf(await check(`a\n"${'x'.repeat(11)}"\n`, limits))).toBe('parse_error');
  });

  test('GIVEN maxColumns + 1 columns WHEN checked THEN too_many_columns; maxColumns THEN accepted', async () => {
    const limits = { ...LIMITS, maxColumns: 5 };
    expect(reasonOf(await check('1,2,3,4,5\n', limits))).toBe('accepted');
    expect(reasonOf(await check('1,2,3,4,5,6\n', limits))).toBe('too_many_columns');
  });

  test.each([
    ['no bytes', ''],
    ['only a BOM', '\uFEFF'],
    ['only whitespace and line ends', ' \t\r\n\n  '],
  ])('GIVEN %s WHEN checked THEN empty', async (_what, csv) => {
    expect(reasonOf(await check(csv))).toBe('empty');
  });

  test('GIVEN a rejection WHEN its message is read THEN it does not quote the content', async () => {
    const outcome = await check('secret-token-123,b\n"secret-value-456\n');
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'parse_error' });
    expect((outcome as { message: string }).message).not.toMatch(/secret/);
  });

  test('GIVEN a rejection early in a long stream WHEN checked THEN reading stops there', async () => {
    let pulled = 0;
    const source = (async function* () {
      yield Buffer.from('a,b\n1\n');
      for (;;) {
        pulled++;
        yield Buffer.from('1,2\n');
      }
    })();
    expect(reasonOf(await checkCsv(source, 0, LIMITS))).toBe('parse_error');
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe('checkCsv properties', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\n', '\r\n', 'é', '😀', '=', '-'), maxLength: 12 });
  const table = fc
    .integer({ min: 1, max: 8 })
    .chain((columns) => fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 30 }));

  test('GIVEN any table written by csv-stringify WHEN checked in any chunking THEN accepted with its row and column counts', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.integer({ min: 1, max: 64 }), fc.boolean(), async (rows, chunkSize, crlf) => {
        // A table whose only content is empty single cells is blank lines: not what this property is about.
        fc.pre(rows.some((row) => row.length > 1 || row[0] !== ''));
        // quoted_match: csv-stringify leaves a lone LF unquoted when rows end with CRLF; RFC 4180 quotes every line break.
        const csv = stringify(rows, { record_delimiter: crlf ? 'windows' : 'unix', quoted_match: /[\r\n]/ });
        const nonEmptyRows = rows.filter((row) => row.length > 1 || row[0] !== '');
        const outcome = await check(csv, LIMITS, chunkSize);
        expect(outcome).toMatchObject({ status: 'accepted', rows: nonEmptyRows.length - 1, columns: rows[0].length, header: nonEmptyRows[0] });
      }),
      { numRuns: 300 },
    );
  });

  test('GIVEN any bytes WHEN checked THEN a verdict with a documented reason, never a crash', async () => {
    const reasons = ['accepted', 'too_large', 'not_csv', 'bad_encoding', 'parse_error', 'too_many_columns', 'empty'];
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 32 }), async (bytes, chunkSize) => {
        expect(reasons).toContain(reasonOf(await check(bytes, { ...LIMITS, maxColumns: 20, maxFieldBytes: 50 }, chunkSize)));
      }),
      { numRuns: 500 },
    );
  });

  test('GIVEN CSV-like text WHEN checked THEN the verdict and counts agree with csv-parse in strict mode', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' '), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, async (csv) => {
        fc.pre(/\S/.test(csv));
        let expected: { rows: number; columns: number } | 'rejected';
        try {
          const records = parseSync(csv, {
            relax_column_count: false,
            relax_quotes: false,
            skip_empty_lines: true,
            record_delimiter: ['\r\n', '\n'],
          });
          expected = records.length === 0 ? 'rejected' : { rows: records.length - 1, columns: records[0].length };
        } catch {
          expected = 'rejected';
        }
        const outcome = await check(csv);
        if (expected === 'rejected') expect(outcome.status).toBe('rejected');
        else expect(outcome).toMatchObject({ status: 'accepted', ...expected });
      }),
      { numRuns: 2000 },
    );
  });
});
