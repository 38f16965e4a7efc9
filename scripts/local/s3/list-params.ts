/** The query of a list request: its parameters and the S3 condition keys they set. */
import { S3Errors } from './s3-xml';

export function listParams(query: Record<string, string | string[]>) {
  const one = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  const prefix = one('prefix');
  const delimiter = one('delimiter');
  const maxKeysText = one('max-keys');
  const maxKeys = maxKeysText === undefined ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw S3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeysText);
  // Absent parameters leave their keys absent, as IAM sees them.
  const context: Record<string, string> = {};
  if (prefix !== undefined) context['s3:prefix'] = prefix;
  if (delimiter !== undefined) context['s3:delimiter'] = delimiter;
  if (maxKeysText !== undefined) context['s3:max-keys'] = maxKeysText;
  return { one, prefix, delimiter, maxKeys, context };
}
