/** S3's XML bodies: errors and list results, built by hand (S3 XML is small and fixed). */

export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `<name>value</name>`, or nothing when the value is undefined. */
export function tag(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export function xmlDocument(root: string, body: string, namespace = true): string {
  const ns = namespace ? ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"' : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${body}</${root}>`;
}

/** An error as S3 answers it: HTTP status, code, message and, where S3 gives them, the key or bucket. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

export function errorXml(error: S3Error, resource: string, requestId: string): string {
  const extra = Object.entries(error.extra)
    .map(([k, v]) => tag(k, v))
    .join('');
  return xmlDocument(
    'Error',
    `${tag('Code', error.code)}${tag('Message', error.message)}${extra}${tag('Resource', resource)}${tag('RequestId', requestId)}`,
    false,
  );
}

/** The errors the local S3 answers, named as S3 names them. */
export const S3Errors = {
  accessDenied: (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message),
  noSuchBucket: (bucket: string) => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string, headers: Record<string, string> = {}) => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  notImplemented: (operation: string) => new S3Error(501, 'NotImplemented', `The local S3 does not implement ${operation} (docs/local.md).`),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error(400, 'InvalidArgument', message, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' }),
  invalidRequest: (message: string) => new S3Error(400, 'InvalidRequest', message),
};
