/**
 * `npm run local` only (docs/local.md): Amplify Storage addresses S3 as
 * `https://<bucket>.s3.<region>.amazonaws.com` and takes no `http://`
 * endpoint, so in a local run its requests to that host are re-signed, with
 * the same identity-pool credentials, for the local S3's path-style URL
 * (`http://127.0.0.1:<port+3>/<bucket>/<key>`), which then judges them by the
 * template's policies as S3 would. Deployed outputs never install it.
 */
import { presignUrl, signRequest } from '@aws-amplify/core/internals/aws-client-utils';

export interface S3BridgeTarget {
  readonly bucket: string;
  readonly region: string;
  /** `http://127.0.0.1:<port+3>` */
  readonly endpoint: string;
}

export interface BridgeCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The signing headers Amplify set for the AWS host; replaced, never forwarded. */
const SIGNING_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host']);
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export function awsHostOf(target: S3BridgeTarget): string {
  return `${target.bucket}.s3.${target.region}.amazonaws.com`;
}

/** The local path-style URL of a virtual-hosted S3 URL (already URI-encoded by Amplify). */
export function localUrlOf(target: S3BridgeTarget, url: URL): URL {
  const local = new URL(`${target.endpoint}/${target.bucket}${url.pathname}`);
  local.search = url.search;
  return local;
}

/**
 * The request re-signed for the local S3: same method, query, headers and
 * body, signed with UNSIGNED-PAYLOAD (the checksum headers Amplify sends
 * still protect the body).
 */
export function resignForLocal(
  target: S3BridgeTarget,
  request: { readonly method: string; readonly url: URL; readonly headers: Readonly<Record<string, string>> },
  credentials: BridgeCredentials,
): { url: URL; headers: Record<string, string> } {
  const url = localUrlOf(target, request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (!SIGNING_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  headers['x-amz-content-sha256'] = UNSIGNED_PAYLOAD;
  const signed = signRequest(
    { method: request.method.toUpperCase(), url, headers, body: UNSIGNED_PAYLOAD },
    { credentials, signingRegion: target.region, signingService: 's3', uriEscapePath: false },
  );
  const { host: _host, ...sendable } = signed.headers;
  return { url, headers: sendable };
}

/** A presigned GET of the AWS host (getUrl) as a presigned GET of the local S3. */
export function representForLocal(target: S3BridgeTarget, url: URL, credentials: BridgeCredentials): URL {
  if (url.host !== awsHostOf(target)) return url;
  const unsigned = new URL(url.href);
  const expires = Number(unsigned.searchParams.get('X-Amz-Expires') ?? '900');
  for (const name of [...unsigned.searchParams.keys()]) if (/^x-amz-/i.test(name)) unsigned.searchParams.delete(name);
  const signed = presignUrl(
    { method: 'GET', url: localUrlOf(target, unsigned), body: UNSIGNED_PAYLOAD },
    { credentials, signingRegion: target.region, signingService: 's3', uriEscapePath: false, expiration: expires },
  );
  // URLSearchParams writes a space as `+`, but the signature covers it as `%20` and SigV4 reads a `+`
  // as a plus: spell spaces `%20` (a literal plus is already `%2B`), or every `attachment; filename=…` link fails.
  signed.search = signed.search.replace(/\+/g, '%20');
  return signed;
}

/** `fetch` that sends requests for the AWS bucket host to the local S3, re-signed. */
export function bridgedFetch(target: S3BridgeTarget, credentials: () => Promise<BridgeCredentials>, inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.host !== awsHostOf(target)) return inner(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const resigned = resignForLocal(target, { method: request.method, url, headers }, await credentials());
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return inner(resigned.url.href, { method: request.method, headers: resigned.headers, body, signal: init?.signal });
  };
}

/** Routes the page's fetch and XMLHttpRequest calls for the AWS bucket host to the local S3. */
export function installLocalS3Bridge(target: S3BridgeTarget, credentials: () => Promise<BridgeCredentials>): void {
  globalThis.fetch = bridgedFetch(target, credentials, globalThis.fetch.bind(globalThis));
  const proto = XMLHttpRequest.prototype;
  // The originals, called below with .call(this, …) on each request object.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see the line above
  const { open, setRequestHeader, send } = proto;
  const pending = new WeakMap<XMLHttpRequest, { method: string; url: URL; headers: Record<string, string> }>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const target_ = new URL(String(url), window.location.href);
    if (target_.host !== awsHostOf(target)) {
      pending.delete(this);
      return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
    }
    // Opened for real in send(), once the request is re-signed for the local URL.
    pending.set(this, { method, url: target_, headers: {} });
  };
  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    const request = pending.get(this);
    if (!request) return setRequestHeader.call(this, name, value);
    request.headers[name.toLowerCase()] = value;
  };
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = pending.get(this);
    if (!request) return send.call(this, body);
    credentials().then(
      (creds) => {
        const resigned = resignForLocal(target, request, creds);
        open.call(this, request.method, resigned.url.href, true);
        for (const [name, value] of Object.entries(resigned.headers)) setRequestHeader.call(this, name, value);
        send.call(this, body);
      },
      () => this.dispatchEvent(new ProgressEvent('error')),
    );
  };
}
