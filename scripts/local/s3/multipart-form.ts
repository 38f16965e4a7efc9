/**
 * A small multipart/form-data parser for S3's POST Object: form fields in
 * order, then the `file` part (S3 ignores fields after the file).
 */

export interface FormFile {
  readonly data: Buffer;
  readonly filename?: string;
  readonly contentType?: string;
}

export interface ParsedForm {
  /** Field names as sent, values as UTF-8 text. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly file?: FormFile;
}

export class FormError extends Error {}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  if (!match) throw new FormError('POST requires multipart/form-data with a boundary');
  return match[1] ?? match[2];
}

function dispositionParam(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(disposition);
  return match?.[1];
}

export function parseMultipartForm(body: Buffer, contentType: string | undefined): ParsedForm {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const fields: Array<[string, string]> = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new FormError('The body has no multipart boundary');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    if (body.subarray(position, position + 2).toString() !== '\r\n') throw new FormError('Malformed multipart boundary line');
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw new FormError('A multipart part has no header end');
    const headers = Object.fromEntries(
      body
        .subarray(position, headerEnd)
        .toString('utf8')
        .split('\r\n')
        .map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
    );
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new FormError('A multipart part is not terminated');
    const data = body.subarray(headerEnd + 4, next);
    const disposition = headers['content-disposition'] ?? '';
    const name = dispositionParam(disposition, 'name');
    if (name === undefined) throw new FormError('A multipart part has no name');
    if (name.toLowerCase() === 'file') {
      return { fields, file: { data: Buffer.from(data), filename: dispositionParam(disposition, 'filename'), contentType: headers['content-type'] } };
    }
    fields.push([name, data.toString('utf8')]);
    position = next + 2;
  }
  return { fields };
}
