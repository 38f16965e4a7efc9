/**
 * Field shapes more than one section of the stage config uses: secret
 * references, URLs, host names and log retentions. Plain zod, no CDK.
 */
import { z } from 'zod';

export const secretReference = z
  .strictObject({
    secretName: z
      .string()
      .regex(
        // A full ARN contains colons; a bare name cannot.
        /^(?:arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/,
        'a Secrets Manager secret name or ARN (letters, digits and /_+=.@-)',
      )
      .describe('Name or ARN of the Secrets Manager secret. Only a {{resolve:secretsmanager:…}} reference reaches the template.'),
    jsonField: z
      .string()
      .regex(/^[^:]+$/, 'a JSON key without ":" (a colon would split the {{resolve:…}} reference)')
      .optional()
      .describe('Key inside a JSON secret. Omit when the secret string is the value itself.'),
    versionId: z
      .string()
      .regex(/^[A-Za-z0-9-]{32,64}$/, 'a Secrets Manager version ID (the VersionId that put-secret-value printed)')
      .optional()
      .describe(
        'Pin one version of the secret. Change it to roll out a rotated value: CloudFormation re-reads a secret only when the reference changes. @default the AWSCURRENT version',
      ),
    versionStage: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'a Secrets Manager staging label such as AWSCURRENT')
      .optional()
      .describe('Pin the version carrying this staging label instead of a version ID. @default AWSCURRENT'),
  })
  .refine((ref) => !(ref.versionId && ref.versionStage), { message: 'either versionId or versionStage, not both', path: ['versionStage'] })
  .describe('A Secrets Manager reference; the secret value never appears in config or template.');

export type SecretReferenceConfig = z.output<typeof secretReference>;

export const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' });

/**
 * Callback and logout URLs: https everywhere, plain http only for localhost
 * (Cognito allows it there for local development). The CDK default
 * `https://example.com` is refused so it can never ship by accident.
 */
export const redirectUrl = z
  // abort: the refinements below call new URL(), which throws on a non-URL.
  .url({ error: 'an absolute URL', abort: true })
  .refine((value) => {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  }, 'an https:// URL (http:// only for localhost)')
  // By host, so https://example.com:443/ or https://example.com?x cannot slip through.
  .refine((value) => new URL(value).hostname.replace(/\.$/, '') !== 'example.com', 'a real URL of your app, not the CDK placeholder https://example.com')
  .refine((value) => !new URL(value).hash, 'a URL without a #fragment (OAuth forbids fragments in redirect URIs)');

/** Domain names and host names (lowercase, at least one dot, or `localhost`). */
export const HOST_NAME = /^(?=.{1,253}$)(localhost|([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/;

/** A lowercase email domain such as example.org (exact: subdomains are not included). */
export const emailDomain = z.string().regex(HOST_NAME, 'a lowercase email domain such as example.org');

/** An AWS Region name. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const retentionDays = z
  .number()
  .int()
  .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), `a CloudWatch Logs retention: one of ${RETENTION_DAYS.join(', ')}`);
export const RETENTION_TEXT = `one of ${RETENTION_DAYS.join(', ')}`;
