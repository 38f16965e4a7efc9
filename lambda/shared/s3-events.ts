/**
 * The S3 events the upload checker acts on, read from an SQS message whose
 * body is an EventBridge event (`source: aws.s3`, detail-type `Object Created`
 * or `Object Deleted`). Anything else is described as a reason to skip it.
 */
import { validateFileName } from './validation';

export interface ObjectRef {
  readonly bucket: string;
  /** The key as stored in S3 (decoded when the event carried it URL-encoded). */
  readonly key: string;
  readonly identityId: string;
  readonly name: string;
  /** `null` (S3's name for the version of an unversioned object) when the event has none. */
  readonly versionId: string;
  /** Whether the event named a version (GetObject/DeleteObject then pin it). */
  readonly hasVersion: boolean;
  readonly sequencer: string;
}

export type UploadEvent =
  | ({ readonly type: 'created'; readonly size: number } & ObjectRef)
  | ({ readonly type: 'deleted'; readonly deletion: 'delete_marker' | 'permanent' } & ObjectRef);

/** Why an event is skipped; safe to log (no object content). */
export interface Skip {
  readonly skip: string;
}

const IDENTITY_ID = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENCODED_IDENTITY = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}%3A/i;
const SEQUENCER = /^[0-9A-Fa-f]{1,64}$/;

export function isSkip<T extends object>(value: T | Skip): value is Skip {
  return 'skip' in value;
}

/** Reads one SQS message body. */
export function parseUploadEvent(body: string): UploadEvent | Skip {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { skip: 'body is not JSON' };
  }
  const e = (event ?? {}) as Record<string, unknown>;
  if (e.source !== 'aws.s3') return { skip: 'not an S3 event' };
  const detailType = e['detail-type'];
  if (detailType !== 'Object Created' && detailType !== 'Object Deleted') return { skip: 'not an Object Created or Object Deleted event' };
  const detail = (e.detail ?? {}) as Record<string, unknown>;
  const bucket = ((detail.bucket ?? {}) as Record<string, unknown>).name;
  const object = (detail.object ?? {}) as Record<string, unknown>;
  if (typeof bucket !== 'string' || typeof object.key !== 'string') return { skip: 'no bucket or key' };
  const sequencer = object.sequencer;
  if (typeof sequencer !== 'string' || !SEQUENCER.test(sequencer)) return { skip: 'no sequencer' };
  const rawVersion = object['version-id'];
  if (rawVersion !== undefined && (typeof rawVersion !== 'string' || rawVersion.length === 0 || rawVersion.length > 1024)) return { skip: 'odd version-id' };
  const owner = ownerOf(object.key);
  if (isSkip(owner)) return owner;
  const ref: ObjectRef = { bucket, ...owner, versionId: rawVersion ?? 'null', hasVersion: rawVersion !== undefined, sequencer };
  if (detailType === 'Object Created') {
    const size = object.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return { skip: 'no object size' };
    return { type: 'created', size, ...ref };
  }
  const deletionType = detail['deletion-type'];
  if (deletionType === 'Delete Marker Created') return { type: 'deleted', deletion: 'delete_marker', ...ref };
  if (deletionType === 'Permanent Delete') return { type: 'deleted', deletion: 'permanent', ...ref };
  return { skip: 'unknown deletion-type' };
}

/**
 * `<identityId>/<name>` with the API's name rule. Keys may arrive URL-encoded
 * (as in S3's own notifications); the identity ID's `:` tells which: a literal
 * `:` means raw, `%3A` means encoded (form-style, `+` for a space).
 */
function ownerOf(rawKey: string): { key: string; identityId: string; name: string } | Skip {
  let key = rawKey;
  if (ENCODED_IDENTITY.test(rawKey)) {
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      return { skip: 'key is not valid URL encoding' };
    }
  }
  const slash = key.indexOf('/');
  if (slash < 0) return { skip: 'key is not under an identity prefix' };
  const identityId = key.slice(0, slash);
  if (!IDENTITY_ID.test(identityId)) return { skip: 'key is not under an identity prefix' };
  const name = key.slice(slash + 1);
  try {
    validateFileName(name, identityId.length);
  } catch {
    return { skip: 'name breaks the file-name rule' };
  }
  return { key, identityId, name };
}
