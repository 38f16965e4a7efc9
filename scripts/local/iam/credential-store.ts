/**
 * The STS of the local run: issues temporary credentials for a role (and, for
 * the identity pool, an identity) and looks them up when a request is signed
 * with them. In memory only: a restart issues new credentials, as a new
 * session would.
 */
import { randomBytes } from 'node:crypto';
import type { CredentialPrincipal, CredentialStore, LocalCredentials } from '../contracts';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** STS's default session length for identity pool credentials. */
export const DEFAULT_LIFETIME_SECONDS = 3600;

export interface CredentialStoreOptions {
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

function randomKeyId(): string {
  const bytes = randomBytes(16);
  return `ASIA${Array.from(bytes, (b) => KEY_ALPHABET[b % 32]).join('')}`;
}

export class LocalCredentialStore implements CredentialStore {
  private readonly byKey = new Map<string, { credentials: LocalCredentials; principal: CredentialPrincipal }>();
  private readonly now: () => number;

  constructor(options: CredentialStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  issue(principal: CredentialPrincipal, lifetimeSeconds: number = DEFAULT_LIFETIME_SECONDS): LocalCredentials {
    let accessKeyId = randomKeyId();
    while (this.byKey.has(accessKeyId)) accessKeyId = randomKeyId();
    const credentials: LocalCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(this.now() + lifetimeSeconds * 1000),
    };
    this.byKey.set(accessKeyId, { credentials, principal });
    this.dropExpired();
    return credentials;
  }

  /** The credentials and their principal, even when expired (the verifier says "expired", not "unknown"). */
  lookup(accessKeyId: string): { readonly credentials: LocalCredentials; readonly principal: CredentialPrincipal } | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Forgets credentials that expired more than a day ago, so a long run does not grow without bound. */
  private dropExpired(): void {
    const horizon = this.now() - 86_400_000;
    for (const [key, entry] of this.byKey) if (entry.credentials.expiration.getTime() < horizon) this.byKey.delete(key);
  }
}
