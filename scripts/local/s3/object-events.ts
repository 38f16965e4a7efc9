/**
 * The EventBridge events S3 sends for a bucket with EventBridge enabled:
 * `Object Created` and `Object Deleted` from source `aws.s3`, with the key raw
 * or, on request, URL-encoded as in S3's classic event notifications.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from '../events/eventbridge-event';

/** Form-style encoding per path segment: `:` → `%3A`, space → `+`, `/` kept. */
export function eventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

interface Common {
  readonly region: string;
  readonly account: string;
  readonly bucket: string;
  readonly key: string;
  /** Put the key in the event as it is, not URL-encoded. */
  readonly rawKey?: boolean;
  /** Only for versioned buckets. */
  readonly versionId?: string;
  readonly sequencer: string;
  readonly requestId: string;
  readonly requester: string;
  readonly now?: Date;
}

function envelope(detailType: string, common: Common, object: Record<string, unknown>, extra: Record<string, unknown>): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.s3',
    account: common.account,
    time: (common.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: common.region,
    resources: [`arn:aws:s3:::${common.bucket}`],
    detail: {
      version: '0',
      bucket: { name: common.bucket },
      object: {
        key: common.rawKey ? common.key : eventKey(common.key),
        ...object,
        ...(common.versionId !== undefined ? { 'version-id': common.versionId } : {}),
        sequencer: common.sequencer,
      },
      'request-id': common.requestId,
      requester: common.requester,
      'source-ip-address': '127.0.0.1',
      ...extra,
    },
  };
}

export function objectCreated(common: Common & { size: number; etag: string; reason: 'PutObject' | 'POST Object' }): EventBridgeEvent {
  return envelope('Object Created', common, { size: common.size, etag: common.etag.replace(/"/g, '') }, { reason: common.reason });
}

export function objectDeleted(common: Common & { deletion: 'Delete Marker Created' | 'Permanently Deleted' }): EventBridgeEvent {
  return envelope('Object Deleted', common, {}, { reason: 'DeleteObject', 'deletion-type': common.deletion });
}
