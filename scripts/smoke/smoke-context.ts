/**
 * What the smoke test runs against and with. Every AWS and HTTP dependency is
 * injected, so tests drive the same code with mocked clients.
 */
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Fetch } from './api-client';
import type { SignInTokens, SrpSignIn } from './srp-sign-in';
import type { ThrowawayUser } from './throwaway-user';

/** Temporary credentials as the S3 client takes them. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The deployed stage, from its stack outputs. */
export interface SmokeTarget {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId: string;
  readonly bucketName: string;
  readonly apiUrl: string;
  /** The `WebAppUrl` output, when the stage hosts the web app: adds a check of the page and its headers. */
  readonly webAppUrl?: string;
}

export interface SmokeDependencies {
  /** With the deployer's credentials: creates and deletes the throwaway user. */
  readonly cognitoIdp: CognitoIdentityProviderClient;
  /** GetId and GetCredentialsForIdentity for the user; DeleteIdentities at cleanup. */
  readonly cognitoIdentity: CognitoIdentityClient;
  /** With the deployer's credentials: removes leftover objects at cleanup only. */
  readonly adminS3: S3Client;
  /** An S3 client acting with the signed-in user's identity pool credentials. */
  readonly s3For: (credentials: TemporaryCredentials) => S3Client;
  /** SRP (`srpSignIn`), or an email code (`emailCodeSignIn`) with `signInMethod: 'emailOtp'`. */
  readonly signIn: SrpSignIn;
  /**
   * `emailOtp` creates the user with a verified email (Cognito sends sign-in
   * codes only to verified addresses) and expects `signIn` to use a code.
   * @default 'srp'
   */
  readonly signInMethod?: 'srp' | 'emailOtp';
  readonly fetch: Fetch;
  readonly log: (line: string) => void;
  /** @default a random `cognito-access-smoke-…@example.com` user with a 40-character password */
  readonly newUser?: () => ThrowawayUser;
  /** Waits between polls of an upload's check status. @default setTimeout */
  readonly wait?: (ms: number) => Promise<void>;
  /** How long to wait for the server-side check of an upload. @default 120000 (2 minutes) */
  readonly checkTimeoutMs?: number;
  /** Names this run's objects. @default 8 random hex characters */
  readonly runId?: string;
}

/** State the steps build up, and what cleanup must undo. */
export interface SmokeContext {
  readonly target: SmokeTarget;
  readonly deps: SmokeDependencies;
  readonly runId: string;
  readonly newUser: ThrowawayUser;
  /** Set as soon as AdminCreateUser succeeded, so cleanup deletes even a half-made user. */
  username?: string;
  tokens?: SignInTokens;
  /** The user pool `sub` claim of the ID token. */
  userSub?: string;
  /** The identity pool ID of the user (`region:GUID`): the S3 prefix. NOT the user pool sub. */
  identityId?: string;
  userS3?: S3Client;
  /** The key step 4 put, once it succeeded. */
  ownKey?: string;
  /** The file step 8 uploaded through the API. */
  apiFile?: { readonly name: string; readonly key: string };
  /** Objects known to exist that cleanup must delete. */
  readonly createdKeys: Set<string>;
}
