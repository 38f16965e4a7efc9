/**
 * The server half of Cognito's SRP-6a sign-in (USER_SRP_AUTH then
 * PASSWORD_VERIFIER), with BigInt, so the local user pool (and the browser
 * test's fake) accepts the right password and refuses a wrong one for real. The math
 * mirrors the client in Amplify's / amazon-cognito-identity-js's
 * AuthenticationHelper: 3072-bit group, g = 2, k = H(N|g), x = H(salt|H(pool|user:password)),
 * u = H(A|B), HKDF("Caldera Derived Key") over S, then an HMAC signature.
 */
import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

/** Java-style signed hex: even length, with a 00 byte when the top bit is set. */
export function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hashHex = (hex: string) => BigInt(`0x${sha256Hex(Buffer.from(hex, 'hex'))}`);

function slowModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const toBuffer = (value: bigint) => Buffer.from(value.toString(16).padStart(Math.ceil(value.toString(16).length / 2) * 2, '0'), 'hex');
const N_BUFFER = toBuffer(N);

/**
 * base^exponent mod N through OpenSSL's Diffie-Hellman (computeSecret is
 * exactly that), about 100 times faster than BigInt; values OpenSSL refuses
 * as public keys (0, 1, N-1) take the BigInt path.
 */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const b = ((base % modulus) + modulus) % modulus;
  if (modulus !== N || b <= 1n || b >= N - 1n || exponent <= 0n) return slowModPow(b, exponent, modulus);
  const dh = createDiffieHellman(N_BUFFER);
  dh.setPrivateKey(toBuffer(exponent));
  return BigInt(`0x${dh.computeSecret(toBuffer(b)).toString('hex')}`);
}

const k = hashHex(paddedHex(N) + paddedHex(g));

/** What the pool stores for a user: never the password, only the salt and the verifier. */
export interface SrpUser {
  readonly userId: string;
  readonly saltHex: string;
  readonly verifier: bigint;
}

export function registerSrpUser(poolName: string, userId: string, password: string): SrpUser {
  const saltHex = paddedHex(BigInt(`0x${randomBytes(16).toString('hex')}`));
  return { userId, saltHex, verifier: verifierFor(poolName, userId, password, saltHex) };
}

function verifierFor(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const x = hashHex(saltHex + sha256Hex(`${poolName}${userId}:${password}`));
  return modPow(g, x, N);
}

/** A plain password check against the stored verifier (USER_PASSWORD_AUTH, ChangePassword, password history). */
export function srpPasswordMatches(poolName: string, user: SrpUser, password: string): boolean {
  return verifierFor(poolName, user.userId, password, user.saltHex) === user.verifier;
}

/** The stored form of a verifier: JSON has no BigInt. */
export interface StoredSrpUser {
  readonly userId: string;
  readonly saltHex: string;
  readonly verifierHex: string;
}

export const storeSrpUser = (user: SrpUser): StoredSrpUser => ({ userId: user.userId, saltHex: user.saltHex, verifierHex: user.verifier.toString(16) });
export const loadSrpUser = (stored: StoredSrpUser): SrpUser => ({
  userId: stored.userId,
  saltHex: stored.saltHex,
  verifier: BigInt(`0x${stored.verifierHex}`),
});

/** One sign-in in flight: the server's secret b and what it sent. */
export interface SrpSession {
  readonly user: SrpUser;
  readonly A: bigint;
  readonly b: bigint;
  readonly B: bigint;
  readonly secretBlock: string;
}

/** InitiateAuth(USER_SRP_AUTH): the server's B and the challenge parameters. */
export function startSrp(user: SrpUser, srpAHex: string): { session: SrpSession; challengeParameters: Record<string, string> } {
  const A = BigInt(`0x${srpAHex}`);
  if (A % N === 0n) throw new Error('SRP_A mod N is 0');
  const b = BigInt(`0x${randomBytes(128).toString('hex')}`);
  const B = (k * user.verifier + modPow(g, b, N)) % N;
  const secretBlock = randomBytes(64).toString('base64');
  return {
    session: { user, A, b, B, secretBlock },
    challengeParameters: {
      SALT: user.saltHex,
      SRP_B: B.toString(16),
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: user.userId,
      USERNAME: user.userId,
    },
  };
}

/** RespondToAuthChallenge(PASSWORD_VERIFIER): true only when the client knew the password. */
export function verifySrp(poolName: string, session: SrpSession, responses: Record<string, string>): boolean {
  const { user, A, b, B, secretBlock } = session;
  if (responses.PASSWORD_CLAIM_SECRET_BLOCK !== secretBlock || !responses.PASSWORD_CLAIM_SIGNATURE || !responses.TIMESTAMP) return false;
  const u = hashHex(paddedHex(A) + paddedHex(B));
  const S = modPow(A * modPow(user.verifier, u, N), b, N);
  const prk = createHmac('sha256', Buffer.from(paddedHex(u), 'hex'))
    .update(Buffer.from(paddedHex(S), 'hex'))
    .digest();
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName), Buffer.from(user.userId), Buffer.from(secretBlock, 'base64'), Buffer.from(responses.TIMESTAMP)]))
    .digest();
  const given = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
