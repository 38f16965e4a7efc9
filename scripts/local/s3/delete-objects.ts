/**
 * DeleteObjects (`POST /<bucket>?delete`): the request's XML body read into
 * keys and versions, and the `DeleteResult` S3 answers. Authorization and the
 * deletes themselves are the service's, one key at a time as S3 does.
 */
import { S3Error, tag, xmlDocument } from './s3-xml';

/** S3 refuses more than 1,000 keys in one request. */
export const MAX_DELETE_KEYS = 1000;

export interface DeleteRequestEntry {
  readonly key: string;
  readonly versionId?: string;
}

export interface DeleteRequest {
  readonly quiet: boolean;
  readonly objects: readonly DeleteRequestEntry[];
}

export type DeleteEntryResult =
  | { readonly key: string; readonly versionId?: string; readonly deleted: true; readonly deleteMarker?: boolean; readonly deleteMarkerVersionId?: string }
  | { readonly key: string; readonly versionId?: string; readonly deleted: false; readonly code: string; readonly message: string };

const malformed = () => new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[entity];
  });
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeXml(match[1]) : undefined;
}

/** The `<Delete>` body; MalformedXML when it has no objects, too many, or an object without a key. */
export function parseDeleteRequest(body: Buffer): DeleteRequest {
  const xml = body.toString('utf8');
  const root = /<Delete(?:\s[^>]*)?>([\s\S]*)<\/Delete>/.exec(xml);
  if (!root) throw malformed();
  const objects = [...root[1].matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((match) => {
    const key = element(match[1], 'Key');
    if (key === undefined || key === '') throw malformed();
    const versionId = element(match[1], 'VersionId');
    return versionId === undefined ? { key } : { key, versionId };
  });
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw malformed();
  return { quiet: element(root[1], 'Quiet')?.trim().toLowerCase() === 'true', objects };
}

/** `DeleteResult`: every error, and the deleted entries unless the request was quiet. */
export function deleteResultXml(results: readonly DeleteEntryResult[], quiet: boolean): string {
  const body = results
    .map((r) => {
      if (!r.deleted) return `<Error>${tag('Key', r.key)}${tag('VersionId', r.versionId)}${tag('Code', r.code)}${tag('Message', r.message)}</Error>`;
      if (quiet) return '';
      return `<Deleted>${tag('Key', r.key)}${tag('VersionId', r.versionId)}${r.deleteMarker ? tag('DeleteMarker', true) : ''}${tag('DeleteMarkerVersionId', r.deleteMarkerVersionId)}</Deleted>`;
    })
    .join('');
  return xmlDocument('DeleteResult', body);
}
