/**
 * The pool's RS256 signing key: generated once per state folder and kept, so
 * tokens issued before a restart still verify after it. Signing and
 * verification use node:crypto directly (no network, no JWKS fetch).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import * as path from 'node:path';
import { JsonState } from './json-state';

interface StoredKey {
  readonly kid: string;
  readonly privateKeyPem: string;
}

export interface Jwk {
  readonly kid: string;
  readonly alg: 'RS256';
  readonly kty: string;
  readonly use: 'sig';
  readonly n: string;
  readonly e: string;
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(stateDir: string) {
    const stored = new JsonState<StoredKey>(path.join(stateDir, 'signing-key.json'), () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { kid: randomUUID(), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
    }).get();
    this.kid = stored.kid;
    this.privateKey = createPrivateKey(stored.privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
  }

  jwks(): { keys: Jwk[] } {
    const jwk = this.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    return { keys: [{ kid: this.kid, alg: 'RS256', kty: jwk.kty, use: 'sig', n: jwk.n, e: jwk.e }] };
  }

  sign(claims: Record<string, unknown>): string {
    const input = `${b64url({ kid: this.kid, alg: 'RS256' })}.${b64url(claims)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /** The claims of a token this key signed, or undefined when the signature or shape is wrong. */
  claimsOf(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      if (header.alg !== 'RS256' || header.kid !== this.kid) return undefined;
      if (!verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      return claims && typeof claims === 'object' ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
