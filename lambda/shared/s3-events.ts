/**
 * The S3 events the upload checker acts on, read from an SQS message whose
 * body is an EventBridge event (`source: aws.s3`, detail-type `Object Created`
 * or `Object Deleted`). Anything else is described as a reason to skip it.
 *
 * Every key under an identity prefix (`<region>:<uuid>/`) is acted on, whatever
 * its name: a name that breaks the file-name rule carries `nameProblem`, and
 * the checker rejects that version as `bad_name` (docs/design.md, "Upload checks").
 */
import { validateFileName } from './validation';

export interface ObjectRef {
  readonly bucket: string;
  /** The key as stored in S3 (decoded when the event carried it URL-encoded). */
  readonly key: string;
  readonly identityId: string;
  /** Everything after `<identityId>/`; may be empty or hold `/` (see nameProblem). */
  readonly name: string;
  /** Why the name breaks the file-name rule, when it does (safe to show: it never quotes the name). */
  readonly nameProblem?: string;
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
  /** The key (decoded when possible), when the event is about a key outside any identity prefix. */
  readonly outsideKey?: string;
  readonly bucket?: string;
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
  const owner = ownerOf(object.key);
  if (isSkip(owner)) return { ...owner, bucket };
  const sequencer = object.sequencer;
  if (typeof sequencer !== 'string' || !SEQUENCER.test(sequencer)) return { skip: 'no sequencer' };
  const rawVersion = object['version-id'];
  if (rawVersion !== undefined && (typeof rawVersion !== 'string' || rawVersion.length === 0 || rawVersion.length > 1024)) return { skip: 'odd version-id' };
  const ref: ObjectRef = { bucket, ...owner, versionId: rawVersion ?? 'null', hasVersion: rawVersion !== undefined, sequencer };
  if (detailType === 'Object Created') {
    const size = object.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return { skip: 'no object size' };
    return { type: 'created', size, ...ref };
  }
  const deletionType = detail['deletion-type'];
  if (deletionType === 'Delete Marker Created') return { type: 'deleted', deletion: 'delete_marker', ...ref };
  // S3's EventBridge value (docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html), also for lifecycle expiry.
  if (deletionType === 'Permanently Deleted') return { type: 'deleted', deletion: 'permanent', ...ref };
  return { skip: 'unknown deletion-type' };
}

const OUTSIDE = 'key is not under an identity prefix';

/**
 * `<identityId>/<name>`, and whether the name keeps the API's name rule. Keys
 * may arrive URL-encoded (as in S3's own notifications); the identity ID's `:`
 * tells which: a literal `:` means raw, `%3A` means encoded (form-style, `+`
 * for a space).
 */
function ownerOf(rawKey: string): { key: string; identityId: string; name: string; nameProblem?: string } | Skip {
  let key = rawKey;
  if (ENCODED_IDENTITY.test(rawKey)) {
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // Not readable as an identity's key at all: counted with the keys outside any prefix.
      return { skip: OUTSIDE, outsideKey: rawKey };
    }
  }
  const slash = key.indexOf('/');
  const identityId = slash < 0 ? '' : key.slice(0, slash);
  if (!IDENTITY_ID.test(identityId)) return { skip: OUTSIDE, outsideKey: key };
  const name = key.slice(slash + 1);
  try {
    validateFileName(name, identityId.length);
  } catch (error) {
    return { key, identityId, name, nameProblem: (error as Error).message };
  }
  return { key, identityId, name };
}
