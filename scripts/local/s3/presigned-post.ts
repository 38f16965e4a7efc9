/**
 * S3's POST Object with a presigned POST policy: verifies the policy's SigV4
 * signature with the issuer's local credentials, its expiration, and every
 * condition (exact values, starts-with, content-length-range, bucket), and
 * that every form field is covered by a condition, as S3 does.
 */
import { timingSafeEqual } from 'node:crypto';
import { getSigningKey } from '@smithy/signature-v4';
import type { CredentialPrincipal, CredentialStore } from '../contracts';
import { NodeSha256 } from '../iam/node-sha256';
import type { ParsedForm } from './multipart-form';
import { S3Error, S3Errors } from './s3-xml';

export interface AcceptedPost {
  readonly principal: CredentialPrincipal;
  readonly key: string;
  /** Form fields, names lower-cased. */
  readonly fields: ReadonlyMap<string, string>;
  readonly file: Buffer;
}

/** Fields never named by a condition (S3's list; `x-ignore-*` too). */
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

const policyFailure = (detail: string) => new S3Error(403, 'AccessDenied', `Invalid according to Policy: ${detail}`);

async function hmacHex(key: Uint8Array, data: string): Promise<string> {
  const hmac = new NodeSha256(key);
  hmac.update(data);
  return Buffer.from(await hmac.digest()).toString('hex');
}

export async function acceptPresignedPost(
  form: ParsedForm,
  bucket: string,
  store: CredentialStore,
  options: { region: string; now?: () => number },
): Promise<AcceptedPost> {
  const now = (options.now ?? Date.now)();
  const fields = new Map<string, string>();
  for (const [name, value] of form.fields) fields.set(name.toLowerCase(), value);
  if (!form.file) throw S3Errors.invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
  const required = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined) throw new S3Error(400, 'InvalidArgument', `Bucket POST must contain a field named '${name}'.`, { ArgumentName: name });
    return value;
  };
  const policyBase64 = required('policy');
  if (required('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'InvalidArgument', 'Only AWS4-HMAC-SHA256 POST policies are supported');
  const credential = required('x-amz-credential');
  const longDate = required('x-amz-date');
  const signature = required('x-amz-signature');
  const rawKey = required('key');

  const [accessKeyId, shortDate, region, service, terminator] = credential.split('/');
  if (terminator !== 'aws4_request' || service !== 's3' || shortDate !== longDate.slice(0, 8)) {
    throw new S3Error(400, 'AuthorizationQueryParametersError', `The credential ${credential} is malformed for this request`);
  }
  if (region !== options.region) throw new S3Error(400, 'AuthorizationHeaderMalformed', `the region '${region}' is wrong; expecting '${options.region}'`);
  const found = store.lookup(accessKeyId);
  if (!found) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const token = fields.get('x-amz-security-token') ?? '';
  const tokenBytes = Buffer.from(token);
  const expectedToken = Buffer.from(found.credentials.sessionToken);
  if (tokenBytes.length !== expectedToken.length || !timingSafeEqual(tokenBytes, expectedToken)) {
    throw new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  const signingKey = await getSigningKey(NodeSha256, found.credentials, shortDate, region, 's3');
  const expected = Buffer.from(await hmacHex(signingKey, policyBase64));
  const given = Buffer.from(signature.toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  if (now >= found.credentials.expiration.getTime()) throw new S3Error(403, 'ExpiredToken', 'The provided token has expired.');

  let policy: { expiration?: string; conditions?: unknown[] };
  try {
    policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = Date.parse(policy.expiration ?? '');
  if (!Number.isFinite(expiration)) throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.');
  if (now >= expiration) throw policyFailure('Policy expired.');
  if (!Array.isArray(policy.conditions)) throw new S3Error(400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.');

  const key = rawKey.replace(/\$\{filename\}/g, form.file.filename ?? '');
  const valueOf = (field: string): string => (field === 'bucket' ? bucket : field === 'key' ? key : (fields.get(field) ?? ''));
  const covered = new Set<string>(['bucket']);
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, target, value] = condition as [string, unknown, unknown];
      if (String(op).toLowerCase() === 'content-length-range') {
        const [min, max] = [Number(target), Number(value)];
        if (form.file.data.length > max)
          throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            ProposedSize: String(form.file.data.length),
            MaxSizeAllowed: String(max),
          });
        if (form.file.data.length < min)
          throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
            ProposedSize: String(form.file.data.length),
            MinSizeAllowed: String(min),
          });
        continue;
      }
      if (typeof target !== 'string' || !target.startsWith('$') || typeof value !== 'string')
        throw new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: Invalid condition ${JSON.stringify(condition)}`);
      const field = target.slice(1).toLowerCase();
      covered.add(field);
      const actual = valueOf(field);
      const ok = op === 'eq' ? actual === value : op === 'starts-with' ? actual.startsWith(value) : undefined;
      if (ok === undefined) throw new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: Invalid condition operator ${op}`);
      if (!ok) throw policyFailure(`Policy Condition failed: ${JSON.stringify(condition)}`);
    } else if (condition && typeof condition === 'object') {
      for (const [name, value] of Object.entries(condition)) {
        const field = name.toLowerCase();
        covered.add(field);
        if (valueOf(field) !== value) throw policyFailure(`Policy Condition failed: ${JSON.stringify(['eq', `$${field}`, value])}`);
      }
    } else {
      throw new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: Invalid condition ${JSON.stringify(condition)}`);
    }
  }
  const extra = [...fields.keys()].filter((name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name));
  if (extra.length > 0) throw policyFailure(`Extra input fields: ${extra.join(', ')}`);
  return { principal: found.principal, key, fields, file: form.file.data };
}
