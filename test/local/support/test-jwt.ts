/**
 * A stand-in user pool signer for tests of token consumers: an RSA key, its
 * JWKS on a loopback port, and RS256 tokens with Cognito's claims.
 */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSigner {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly userPoolId: string;
  sign(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startTestSigner(region: string, userPoolId: string): Promise<TestSigner> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  return {
    issuer,
    userPoolId,
    jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${userPoolId}/.well-known/jwks.json`,
    sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ iss: issuer, iat: now, exp: now + 3600, ...claims })).toString('base64url');
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
