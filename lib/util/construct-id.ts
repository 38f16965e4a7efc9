/**
 * A user-chosen name as a construct ID fragment ("corp-sso" → "CorpSso").
 * IDs decide logical IDs, so this must stay stable: changing it replaces resources.
 */
export function constructIdPart(name: string): string {
  const pascal = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
  // Names made only of non-ASCII characters still need a distinct, stable ID.
  return pascal || Buffer.from(name, 'utf8').toString('hex');
}
