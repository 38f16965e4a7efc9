/**
 * Byte-level checks of an upload, chunk by chunk, before any CSV parsing:
 * binary signatures and NUL bytes (`not_csv`), UTF-8 validity (`bad_encoding`)
 * and "anything but whitespace at all" (`empty`). Holds at most a few bytes
 * across chunks; the UTF-8 decoder keeps only an unfinished character.
 */

/** What the sniffer refused, with a description that never quotes the content. */
export interface SniffProblem {
  readonly reason: 'not_csv' | 'bad_encoding';
  readonly message: string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Leading bytes of common binary formats someone might upload by mistake. Only
 * signatures no plausible CSV header starts with (so not `MZ` or `BZh`); other
 * binaries are caught by their NUL bytes or invalid UTF-8.
 */
const SIGNATURES: readonly { readonly bytes: readonly number[]; readonly what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (or an Office document such as .xlsx)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'a legacy Office document (such as .xls)' },
];
const SNIFF_BYTES = Math.max(...SIGNATURES.map((s) => s.bytes.length));

/** Feeds chunks in order; `push` returns the bytes to parse (BOM removed) or a problem. */
export class TextSniffer {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The first bytes, kept only until the signatures can be compared. */
  private head: Uint8Array | undefined = new Uint8Array(0);
  private bomChecked = false;
  private sawContent = false;
  /** Bytes seen so far (BOM included). */
  public bytes = 0;

  /**
   * Checks one chunk. Returns the bytes that should reach the CSV parser (the
   * chunk, or nothing while the first bytes are held back), or the problem.
   */
  push(chunk: Uint8Array): Uint8Array | SniffProblem {
    this.bytes += chunk.length;
    let data = chunk;
    if (this.head !== undefined) {
      data = concat(this.head, chunk);
      if (data.length < SNIFF_BYTES) {
        this.head = data;
        return new Uint8Array(0);
      }
      this.head = undefined;
      const problem = this.sniffHead(data);
      if (problem) return problem;
    }
    return this.check(data, false);
  }

  /** End of input: flushes held bytes and the decoder. */
  end(): Uint8Array | SniffProblem {
    let data: Uint8Array = new Uint8Array(0);
    if (this.head !== undefined) {
      data = this.head;
      this.head = undefined;
      const problem = this.sniffHead(data);
      if (problem) return problem;
    }
    return this.check(data, true);
  }

  /** True once a byte other than the BOM, space, tab, CR or LF was seen. */
  get hasContent(): boolean {
    return this.sawContent;
  }

  private sniffHead(head: Uint8Array): SniffProblem | undefined {
    const match = SIGNATURES.find((s) => s.bytes.length <= head.length && s.bytes.every((b, i) => head[i] === b));
    return match ? { reason: 'not_csv', message: `The file looks like ${match.what}, not CSV text.` } : undefined;
  }

  private check(data: Uint8Array, final: boolean): Uint8Array | SniffProblem {
    if (data.indexOf(0) !== -1) {
      return { reason: 'not_csv', message: 'The file contains NUL bytes: it is binary data, not CSV text.' };
    }
    try {
      // The decoded text is thrown away: only the bytes' validity matters here.
      this.decoder.decode(data, { stream: !final });
    } catch {
      return { reason: 'bad_encoding', message: 'The file is not valid UTF-8 text. Save it as "CSV UTF-8" and upload it again.' };
    }
    let start = 0;
    if (!this.bomChecked && (data.length >= UTF8_BOM.length || final)) {
      this.bomChecked = true;
      if (UTF8_BOM.every((b, i) => data[i] === b)) start = UTF8_BOM.length;
    }
    if (!this.sawContent) {
      for (let i = start; i < data.length; i++) {
        const b = data[i];
        if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) {
          this.sawContent = true;
          break;
        }
      }
    }
    return start === 0 ? data : data.subarray(start);
  }
}

export function isSniffProblem(value: Uint8Array | SniffProblem): value is SniffProblem {
  return !(value instanceof Uint8Array);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
