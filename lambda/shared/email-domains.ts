/**
 * Email domain allow-listing for the pre sign-up trigger: plain functions, no
 * SDK, so they are tested with any input.
 */

/** The allowed domains from `ALLOWED_EMAIL_DOMAINS` (comma-separated), lowercased; empty when unset. */
export function parseAllowedDomains(raw: string | undefined): ReadonlySet<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((domain) => normalizeDomain(domain))
      .filter((domain) => domain.length > 0),
  );
}

/**
 * The domain of an email address (after the last `@`), lowercased and without
 * a trailing dot; undefined when the value is not shaped like an address.
 * Only the exact domain counts: `a@sub.example.org` is not `example.org`.
 */
export function emailDomain(email: unknown): string | undefined {
  if (typeof email !== 'string' || email.length > 320) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  const domain = normalizeDomain(email.slice(at + 1));
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}

/** True only when the address's exact domain is in the allow-list. */
export function isAllowedEmail(email: unknown, allowed: ReadonlySet<string>): boolean {
  const domain = emailDomain(email);
  return domain !== undefined && allowed.has(domain);
}

function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}
