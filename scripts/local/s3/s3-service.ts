/**
 * The local S3 (docs/local.md): path-style REST for the template's buckets,
 * objects and versions on disk, every request SigV4-verified (or, for POST
 * Object, its policy signature) and authorized by evaluating the template's
 * IAM policies with the bucket policy. Writes and deletes on a bucket with
 * EventBridge enabled put `aws.s3` events on the local bus.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialPrincipal, CredentialStore, LocalService, LocalTemplate } from '../contracts';
import type { EventSink } from '../events/eventbridge-event';
import { SigV4Error, parseQuery, verifySigV4 } from '../iam/sigv4-verify';
import type { TemplateAuthorizer } from '../iam/template-authorizer';
import { configureBuckets, type LocalBucket } from './bucket-config';
import { checkWriteConditions, notModified } from './conditional-requests';
import { corsResponseHeaders, preflightHeaders } from './cors';
import { deleteResultXml, parseDeleteRequest, type DeleteEntryResult } from './delete-objects';
import { listParams } from './list-params';
import { decodeContinuationToken, listObjectsV2Xml, listObjectVersionsXml } from './list-results';
import { FormError, parseMultipartForm } from './multipart-form';
import { objectCreated, objectDeleted } from './object-events';
import { objectResponse } from './object-response';
import { BucketStore, type ObjectVersion } from './object-store';
import { acceptPresignedPost } from './presigned-post';
import { readBody, targetOf, verifiedPayload } from './s3-request';
import { S3Error, S3Errors, errorXml, tag, xmlDocument } from './s3-xml';
import { Sequencer } from './sequencer';

export interface LocalS3Options {
  readonly template: LocalTemplate;
  readonly credentials: CredentialStore;
  readonly authorizer: Pick<TemplateAuthorizer, 'authorize'>;
  /** Objects live under `<stateDir>/<bucket>/`. */
  readonly stateDir: string;
  /** The local event bus; events are dropped when absent. */
  readonly events?: EventSink;
  /** Largest request body accepted. @default 64 MiB */
  readonly maxBodyBytes?: number;
  /**
   * How object keys appear in EventBridge events: raw, as captured S3
   * EventBridge events show them (and as the upload rule's `<region>:` prefix
   * expects), or URL-encoded per segment as in S3's classic event
   * notifications (`:` → `%3A`, space → `+`); the checker reads both.
   * @default 'raw'
   */
  readonly eventKeyEncoding?: 'url' | 'raw';
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
]);
/** Nothing restores archived objects locally, so reading them fails as S3 fails an unrestored read. */
const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);
const STORED_HEADERS = ['content-disposition', 'content-encoding', 'cache-control', 'content-language', 'expires'];
/** Query parameters that are not subresources (signing, SDK hints, response overrides, GET/DELETE options). */
const PLAIN_PARAMS = /^(x-id|versionid|x-amz-.*|response-.*)$/i;

interface Handled {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export class LocalS3 implements LocalService {
  readonly name = 's3';
  readonly buckets: ReadonlyMap<string, LocalBucket>;
  private readonly stores = new Map<string, BucketStore>();
  private readonly sequencer: Sequencer;
  private readonly now: () => number;

  constructor(private readonly options: LocalS3Options) {
    this.now = options.now ?? Date.now;
    this.sequencer = new Sequencer(this.now);
    this.buckets = new Map(configureBuckets(options.template).map((b) => [b.name, b]));
    for (const bucket of this.buckets.values()) {
      this.stores.set(bucket.name, new BucketStore(path.join(options.stateDir, bucket.name), bucket.versioned, () => new Date(this.now())));
    }
  }

  /** What the template's buckets ask for that the local S3 does not do, for the start-up notes. */
  get notes(): string[] {
    return [...this.buckets.values()]
      .filter((b) => b.notEmulated.length > 0)
      .map((b) => `${b.logicalId} (${b.name}): not emulated: ${b.notEmulated.join(', ')}`);
  }

  /** The physical name of the bucket with this logical ID. */
  bucketName(logicalId: string): string {
    const found = [...this.buckets.values()].find((b) => b.logicalId === logicalId);
    if (!found) throw new Error(`No bucket ${logicalId} in the template`);
    return found.name;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const method = (req.method ?? 'GET').toUpperCase();
    let cors: Record<string, string> = {};
    let resource = rawPath;
    try {
      const { bucket: bucketName, key } = this.target(req, rawPath);
      resource = `/${bucketName ?? ''}${key ? `/${key}` : ''}`;
      if (bucketName === undefined) throw S3Errors.notImplemented('ListBuckets');
      const bucket = this.buckets.get(bucketName);
      if (!bucket) throw S3Errors.noSuchBucket(bucketName);
      if (method === 'OPTIONS') return this.preflight(bucket, req, res, requestId);
      cors = corsResponseHeaders(bucket.cors, req.headers, method);
      const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
      const body = await readBody(req, this.options.maxBodyBytes ?? 64 * 1024 * 1024);
      const result =
        method === 'POST' && key === '' && /^multipart\/form-data/i.test(String(req.headers['content-type'] ?? ''))
          ? await this.postObject(bucket, req, body, requestId)
          : await this.signed(bucket, key, method, req, query, body, requestId);
      this.send(res, result, cors, requestId, method);
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : error instanceof SigV4Error
            ? new S3Error(error.status, error.code, error.message)
            : error instanceof FormError
              ? new S3Error(400, 'MalformedPOSTRequest', error.message)
              : new S3Error(500, 'InternalError', `The local S3 failed: ${(error as Error).message}`);
      const body = method === 'HEAD' ? undefined : errorXml(s3Error, resource, requestId);
      this.send(res, { status: s3Error.status, headers: { 'content-type': 'application/xml', ...s3Error.headers }, body }, cors, requestId, method);
    }
  }

  /**
   * Path-style (`/<bucket>/<key>`), or virtual-hosted when the Host's first
   * label is one of the buckets (`<bucket>.localhost:<port>`).
   */
  private target(req: IncomingMessage, rawPath: string): { bucket?: string; key: string } {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    const virtual = [...this.buckets.keys()].find((name) => host.startsWith(`${name}.`));
    if (!virtual) return targetOf(rawPath);
    return targetOf(`/${virtual}${rawPath === '/' ? '' : rawPath}`);
  }

  private send(res: ServerResponse, result: Handled, cors: Record<string, string>, requestId: string, method: string): void {
    res.statusCode = result.status;
    const headers = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, server: 'AmazonS3', ...cors, ...result.headers };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const body = result.body === undefined ? undefined : Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body);
    if (body !== undefined && !res.hasHeader('content-length')) res.setHeader('content-length', body.length);
    res.end(method === 'HEAD' ? undefined : body);
  }

  private preflight(bucket: LocalBucket, req: IncomingMessage, res: ServerResponse, requestId: string): void {
    const headers = preflightHeaders(bucket.cors, req.headers);
    req.resume();
    if (!headers) {
      const error = new S3Error(
        403,
        'AccessForbidden',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      );
      this.send(
        res,
        { status: 403, headers: { 'content-type': 'application/xml' }, body: errorXml(error, `/${bucket.name}`, requestId) },
        {},
        requestId,
        'OPTIONS',
      );
      return;
    }
    this.send(res, { status: 200, headers }, {}, requestId, 'OPTIONS');
  }

  private async authorize(principal: CredentialPrincipal, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<void> {
    const decision = await this.options.authorizer.authorize({ principal, action, resource, context });
    if (!decision.allowed) throw S3Errors.accessDenied();
  }

  /** The S3 condition keys a request carries (absent headers stay absent, as in IAM). */
  private objectContext(headers: IncomingMessage['headers'] | ReadonlyMap<string, string>, authType: string): Record<string, string> {
    const get = (name: string) => (headers instanceof Map ? headers.get(name) : (headers as IncomingMessage['headers'])[name]);
    const context: Record<string, string> = { 's3:authType': authType, 's3:signatureversion': 'AWS4-HMAC-SHA256' };
    for (const [header, key] of [
      ['x-amz-storage-class', 's3:x-amz-storage-class'],
      ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
      ['x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
      ['x-amz-server-side-encryption-customer-algorithm', 's3:x-amz-server-side-encryption-customer-algorithm'],
    ]) {
      const value = get(header);
      if (typeof value === 'string') context[key] = value;
    }
    return context;
  }

  private async signed(
    bucket: LocalBucket,
    key: string,
    method: string,
    req: IncomingMessage,
    query: Record<string, string | string[]>,
    body: Buffer,
    requestId: string,
  ): Promise<Handled> {
    const verified = await verifySigV4({ method, url: req.url ?? '/', headers: req.headers, body }, this.options.credentials, {
      service: 's3',
      region: this.options.template.region,
      now: this.now,
    });
    const principal = verified.principal;
    const authType = verified.presigned ? 'REST-QUERY-STRING' : 'REST-HEADER';
    const subresources = Object.keys(query).filter((name) => !PLAIN_PARAMS.test(name));
    const versionId = typeof query.versionId === 'string' ? query.versionId : undefined;
    const bucketArn = `arn:aws:s3:::${bucket.name}`;
    const objectArn = `${bucketArn}/${key}`;

    if (key === '') {
      if (method === 'GET' && query['list-type'] === '2') return this.listV2(bucket, principal, query);
      if (method === 'GET' && 'versions' in query) return this.listVersions(bucket, principal, query);
      if (method === 'POST' && 'delete' in query && subresources.length === 1) return this.deleteObjects(bucket, principal, body, requestId);
      if (method === 'HEAD' && subresources.length === 0) {
        await this.authorize(principal, 's3:ListBucket', bucketArn);
        return { status: 200, headers: { 'x-amz-bucket-region': this.options.template.region } };
      }
      if (method === 'GET' && subresources.length === 0) throw S3Errors.notImplemented('ListObjects (version 1); use ListObjectsV2');
      throw S3Errors.notImplemented(`${method} on a bucket${subresources.length ? ` with ?${subresources.join('&')}` : ''}`);
    }
    if (subresources.length > 0)
      throw S3Errors.notImplemented(`${objectOperationName(method, subresources)} (${method} on an object with ?${subresources.join('&')})`);
    const store = this.stores.get(bucket.name)!;

    switch (method) {
      case 'GET':
      case 'HEAD': {
        await this.authorize(principal, versionId ? 's3:GetObjectVersion' : 's3:GetObject', objectArn, {
          ...this.objectContext(req.headers, authType),
          ...(versionId ? { 's3:versionid': versionId } : {}),
        });
        const version = await this.findVersion(bucket, store, principal, key, versionId);
        if (version.serverSideEncryption?.startsWith('aws:kms') && bucket.kmsKeyId) {
          await this.authorize(principal, 'kms:Decrypt', this.kmsKeyArn(bucket.kmsKeyId), this.kmsContext(objectArn));
        }
        if (ARCHIVED.has(version.storageClass)) {
          throw new S3Error(403, 'InvalidObjectState', "The operation is not valid for the object's storage class", { StorageClass: version.storageClass });
        }
        if (notModified(req.headers, version))
          return { status: 304, headers: { etag: version.etag, 'last-modified': new Date(version.lastModified).toUTCString() } };
        return objectResponse(bucket, store, key, version, method, req.headers.range, query);
      }
      case 'PUT':
        return this.putObject(bucket, store, key, req, body, verified.payloadHash, principal, authType, requestId);
      case 'DELETE': {
        const outcome = await this.deleteOne(bucket, store, principal, key, versionId, requestId);
        const headers: Record<string, string> = {};
        if (outcome.versionId !== undefined && bucket.versioned) headers['x-amz-version-id'] = outcome.versionId;
        if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
        return { status: 204, headers };
      }
      default:
        throw S3Errors.notImplemented(`${method} on an object`);
    }
  }

  /** DeleteObject on one key: DeleteObjectVersion with a version ID, DeleteObject without; emits the deletion event. */
  private async deleteOne(
    bucket: LocalBucket,
    store: BucketStore,
    principal: CredentialPrincipal,
    key: string,
    versionId: string | undefined,
    requestId: string,
  ) {
    await this.authorize(
      principal,
      versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
      `arn:aws:s3:::${bucket.name}/${key}`,
      versionId ? { 's3:versionid': versionId } : {},
    );
    const outcome = store.delete(key, versionId);
    if (outcome.kind !== 'none')
      this.emitDeleted(bucket, key, outcome.versionId, outcome.kind === 'marker' ? 'Delete Marker Created' : 'Permanently Deleted', requestId);
    return outcome;
  }

  /**
   * DeleteObjects: each key authorized and deleted on its own, as S3 does (there is no
   * s3:DeleteObjects action); a refused key is an `<Error>` entry, the request still 200.
   */
  private async deleteObjects(bucket: LocalBucket, principal: CredentialPrincipal, body: Buffer, requestId: string): Promise<Handled> {
    const request = parseDeleteRequest(body);
    const store = this.stores.get(bucket.name)!;
    const results: DeleteEntryResult[] = [];
    for (const { key, versionId } of request.objects) {
      try {
        const outcome = await this.deleteOne(bucket, store, principal, key, versionId, requestId);
        results.push(
          versionId !== undefined
            ? { key, versionId, deleted: true, ...(outcome.deleteMarker ? { deleteMarker: true, deleteMarkerVersionId: versionId } : {}) }
            : { key, deleted: true, ...(outcome.kind === 'marker' ? { deleteMarker: true, deleteMarkerVersionId: outcome.versionId } : {}) },
        );
      } catch (error) {
        if (!(error instanceof S3Error)) throw error;
        results.push({ key, versionId, deleted: false, code: error.code, message: error.message });
      }
    }
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: deleteResultXml(results, request.quiet) };
  }

  /** The version a GET/HEAD reads; S3 says AccessDenied rather than NoSuchKey to a caller who may not list the bucket. */
  private async findVersion(
    bucket: LocalBucket,
    store: BucketStore,
    principal: CredentialPrincipal,
    key: string,
    versionId: string | undefined,
  ): Promise<ObjectVersion> {
    const mayList = async () =>
      (await this.options.authorizer.authorize({ principal, action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket.name}`, context: { 's3:prefix': key } }))
        .allowed;
    if (versionId !== undefined) {
      const version = store.version(key, versionId);
      if (!version) throw (await mayList()) ? S3Errors.noSuchVersion(key, versionId) : S3Errors.accessDenied();
      if (version.deleteMarker) {
        throw new S3Error(
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
          { Method: 'GET', ResourceType: 'DeleteMarker' },
          { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId },
        );
      }
      return version;
    }
    const current = store.current(key);
    if (current) return current;
    const top = store.versions(key)[0];
    const markerHeaders: Record<string, string> = top?.deleteMarker ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': top.versionId } : {};
    throw (await mayList()) ? S3Errors.noSuchKey(key, markerHeaders) : S3Errors.accessDenied();
  }

  private async putObject(
    bucket: LocalBucket,
    store: BucketStore,
    key: string,
    req: IncomingMessage,
    body: Buffer,
    payloadHash: string,
    principal: CredentialPrincipal,
    authType: string,
    requestId: string,
  ): Promise<Handled> {
    if (req.headers['x-amz-copy-source'] !== undefined) throw S3Errors.notImplemented('CopyObject');
    const objectArn = `arn:aws:s3:::${bucket.name}/${key}`;
    await this.authorize(principal, 's3:PutObject', objectArn, this.objectContext(req.headers, authType));
    const data = verifiedPayload(body, payloadHash, req.headers);
    checkWriteConditions(req.headers, store.current(key));
    const get = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
    const metadata = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name, value]) => name.startsWith('x-amz-meta-') && typeof value === 'string')
        .map(([name, value]) => [name.slice('x-amz-meta-'.length), value as string]),
    );
    const version = await this.store(bucket, store, key, data, principal, {
      contentType: get('content-type'),
      storageClass: get('x-amz-storage-class'),
      sse: get('x-amz-server-side-encryption'),
      sseCustomer: get('x-amz-server-side-encryption-customer-algorithm'),
      headers: Object.fromEntries(STORED_HEADERS.filter((h) => get(h) !== undefined).map((h) => [h, get(h)!])),
      metadata,
      checksums: Object.fromEntries(['x-amz-checksum-crc32', 'x-amz-checksum-sha256', 'x-amz-checksum-sha1'].filter((h) => get(h)).map((h) => [h, get(h)!])),
    });
    this.emitCreated(bucket, key, version, 'PutObject', requestId);
    return { status: 200, headers: this.writeHeaders(bucket, version) };
  }

  private writeHeaders(bucket: LocalBucket, version: ObjectVersion): Record<string, string> {
    return {
      etag: version.etag,
      ...(version.serverSideEncryption ? { 'x-amz-server-side-encryption': version.serverSideEncryption } : {}),
      ...(bucket.versioned ? { 'x-amz-version-id': version.versionId } : {}),
      ...version.checksums,
    };
  }

  /** Validates what S3 validates on every write, then stores the object. */
  private async store(
    bucket: LocalBucket,
    store: BucketStore,
    key: string,
    data: Buffer,
    principal: CredentialPrincipal,
    attrs: {
      contentType?: string;
      storageClass?: string;
      sse?: string;
      sseCustomer?: string;
      headers: Record<string, string>;
      metadata: Record<string, string>;
      checksums: Record<string, string>;
    },
  ): Promise<ObjectVersion> {
    if (Buffer.byteLength(key) > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long');
    const storageClass = attrs.storageClass ?? 'STANDARD';
    if (!STORAGE_CLASSES.has(storageClass))
      throw new S3Error(400, 'InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: storageClass });
    if (attrs.sseCustomer !== undefined) throw S3Errors.notImplemented('SSE-C (customer-provided encryption keys)');
    const sse = attrs.sse ?? bucket.defaultEncryption;
    if (!['AES256', 'aws:kms', 'aws:kms:dsse'].includes(sse))
      throw S3Errors.invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', sse);
    if (sse.startsWith('aws:kms')) {
      if (!bucket.kmsKeyId) throw S3Errors.notImplemented('SSE-KMS with the AWS managed key (the bucket names no KMS key)');
      await this.authorize(principal, 'kms:GenerateDataKey', this.kmsKeyArn(bucket.kmsKeyId), this.kmsContext(`arn:aws:s3:::${bucket.name}/${key}`));
    }
    return store.put(key, data, {
      contentType: attrs.contentType,
      storageClass,
      serverSideEncryption: sse,
      headers: attrs.headers,
      metadata: attrs.metadata,
      checksums: attrs.checksums,
    });
  }

  /** What KMS sees when S3 calls it on the caller's behalf (SSE-KMS); the authorizer adds the key policy. */
  private kmsContext(objectArn: string): Record<string, string> {
    const { region, accountId } = this.options.template;
    return { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': accountId, 'kms:EncryptionContext:aws:s3:arn': objectArn };
  }

  private kmsKeyArn(keyId: string): string {
    const { region, accountId } = this.options.template;
    return keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
  }

  private async postObject(bucket: LocalBucket, req: IncomingMessage, body: Buffer, requestId: string): Promise<Handled> {
    const form = parseMultipartForm(body, req.headers['content-type']);
    const post = await acceptPresignedPost(form, bucket.name, this.options.credentials, { region: this.options.template.region, now: this.now });
    const objectArn = `arn:aws:s3:::${bucket.name}/${post.key}`;
    await this.authorize(post.principal, 's3:PutObject', objectArn, this.objectContext(post.fields, 'POST'));
    const store = this.stores.get(bucket.name)!;
    const metadata = Object.fromEntries(
      [...post.fields].filter(([name]) => name.startsWith('x-amz-meta-')).map(([name, value]) => [name.slice('x-amz-meta-'.length), value]),
    );
    const version = await this.store(bucket, store, post.key, post.file, post.principal, {
      contentType: post.fields.get('content-type'),
      storageClass: post.fields.get('x-amz-storage-class'),
      sse: post.fields.get('x-amz-server-side-encryption'),
      sseCustomer: post.fields.get('x-amz-server-side-encryption-customer-algorithm'),
      headers: Object.fromEntries(STORED_HEADERS.filter((h) => post.fields.has(h)).map((h) => [h, post.fields.get(h)!])),
      metadata,
      checksums: {},
    });
    this.emitCreated(bucket, post.key, version, 'POST Object', requestId);
    const location = `/${bucket.name}/${encodeURIComponent(post.key)}`;
    const headers = { ...this.writeHeaders(bucket, version), location };
    const redirect = post.fields.get('success_action_redirect');
    if (redirect) {
      const target = new URL(redirect);
      target.searchParams.set('bucket', bucket.name);
      target.searchParams.set('key', post.key);
      target.searchParams.set('etag', version.etag);
      return { status: 303, headers: { ...headers, location: target.toString() } };
    }
    const status = Number(post.fields.get('success_action_status') ?? '204');
    if (status === 201) {
      const xml = xmlDocument(
        'PostResponse',
        `${tag('Location', location)}${tag('Bucket', bucket.name)}${tag('Key', post.key)}${tag('ETag', version.etag)}`,
        false,
      );
      return { status: 201, headers: { ...headers, 'content-type': 'application/xml' }, body: xml };
    }
    return { status: status === 200 ? 200 : 204, headers };
  }

  private async listV2(bucket: LocalBucket, principal: CredentialPrincipal, query: Record<string, string | string[]>): Promise<Handled> {
    const { one, prefix, delimiter, maxKeys, context } = listParams(query);
    await this.authorize(principal, 's3:ListBucket', `arn:aws:s3:::${bucket.name}`, context);
    const token = one('continuation-token');
    const startAfter = one('start-after');
    const encodingType = one('encoding-type');
    if (encodingType !== undefined && encodingType !== 'url')
      throw S3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
    const xml = listObjectsV2Xml(bucket.name, this.stores.get(bucket.name)!, {
      prefix: prefix ?? '',
      delimiter,
      maxKeys: Math.min(maxKeys, 1000),
      after: token !== undefined ? decodeContinuationToken(token) : startAfter,
      urlEncode: encodingType === 'url',
      continuationToken: token,
      startAfter,
    });
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: xml };
  }

  private async listVersions(bucket: LocalBucket, principal: CredentialPrincipal, query: Record<string, string | string[]>): Promise<Handled> {
    const { one, prefix, delimiter, maxKeys, context } = listParams(query);
    await this.authorize(principal, 's3:ListBucketVersions', `arn:aws:s3:::${bucket.name}`, context);
    const xml = listObjectVersionsXml(bucket.name, this.stores.get(bucket.name)!, {
      prefix: prefix ?? '',
      delimiter,
      maxKeys: Math.min(maxKeys, 1000),
      urlEncode: one('encoding-type') === 'url',
      keyMarker: one('key-marker'),
      versionIdMarker: one('version-id-marker'),
    });
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: xml };
  }

  private emitCreated(bucket: LocalBucket, key: string, version: ObjectVersion, reason: 'PutObject' | 'POST Object', requestId: string): void {
    if (!bucket.eventBridge || !this.options.events) return;
    this.options.events.put(
      objectCreated({
        ...this.eventCommon(bucket, key, bucket.versioned ? version.versionId : undefined, requestId),
        size: version.size,
        etag: version.etag,
        reason,
      }),
    );
  }

  private emitDeleted(
    bucket: LocalBucket,
    key: string,
    versionId: string | undefined,
    deletion: 'Delete Marker Created' | 'Permanently Deleted',
    requestId: string,
  ): void {
    if (!bucket.eventBridge || !this.options.events) return;
    this.options.events.put(objectDeleted({ ...this.eventCommon(bucket, key, bucket.versioned ? versionId : undefined, requestId), deletion }));
  }

  private eventCommon(bucket: LocalBucket, key: string, versionId: string | undefined, requestId: string) {
    const { region, accountId } = this.options.template;
    return {
      region,
      account: accountId,
      bucket: bucket.name,
      key,
      rawKey: this.options.eventKeyEncoding !== 'url',
      versionId,
      sequencer: this.sequencer.next(),
      requestId,
      requester: accountId,
      now: new Date(this.now()),
    };
  }
}

/** The S3 API name of an object request with a subresource, for the NotImplemented message. */
function objectOperationName(method: string, subresources: readonly string[]): string {
  const has = (name: string) => subresources.includes(name);
  if (has('uploads')) return 'CreateMultipartUpload';
  if (has('uploadId'))
    return { PUT: 'UploadPart', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' }[method] ?? 'a multipart upload operation';
  if (has('tagging')) return { PUT: 'PutObjectTagging', GET: 'GetObjectTagging', DELETE: 'DeleteObjectTagging' }[method] ?? 'object tagging';
  if (has('acl')) return method === 'PUT' ? 'PutObjectAcl' : 'GetObjectAcl';
  if (has('restore')) return 'RestoreObject';
  if (has('attributes')) return 'GetObjectAttributes';
  return 'this object operation';
}
