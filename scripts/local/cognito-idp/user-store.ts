/**
 * The pool's users, persisted in the state folder. Passwords are never
 * stored: only SRP salts and verifiers (also for password history).
 */
import * as path from 'node:path';
import { JsonState } from './json-state';
import type { MfaType } from './pool-config';
import { registerSrpUser, storeSrpUser, type StoredSrpUser } from './srp-server';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface StoredCode {
  readonly code: string;
  readonly expiresAt: number;
}

export interface StoredWebAuthnCredential {
  readonly credentialId: string;
  readonly publicKey: string;
  counter: number;
  readonly transports?: string[];
  readonly friendlyName?: string;
  readonly relyingPartyId: string;
  readonly createdAt: string;
  readonly authenticatorAttachment?: string;
}

export interface StoredUser {
  readonly username: string;
  readonly sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  srp: StoredSrpUser;
  /** Verifiers of earlier passwords, newest first (Policies.PasswordPolicy.PasswordHistorySize). */
  passwordHistory: StoredSrpUser[];
  groups: string[];
  /**
   * Base32 secret once AssociateSoftwareToken ran; verified after VerifySoftwareToken.
   * A re-association waits in `pending` so the working secret keeps working until the new one is verified.
   */
  totp?: { secret: string; verified: boolean; friendlyName?: string; pending?: string };
  mfa: { totp: boolean; email: boolean; preferred?: MfaType };
  webAuthn: StoredWebAuthnCredential[];
  codes: Partial<Record<'signUp' | 'forgotPassword', StoredCode>>;
  readonly createdAt: string;
  updatedAt: string;
}

type UserMap = Record<string, StoredUser>;

/**
 * A new user as SignUp and AdminCreateUser store it: the SRP verifier of
 * `password` (never the password), no MFA, passkeys, groups or codes yet.
 */
export function newStoredUser(input: {
  readonly srpPoolName: string;
  readonly username: string;
  readonly sub: string;
  readonly attributes: Record<string, string>;
  readonly status: UserStatus;
  readonly password: string;
}): StoredUser {
  const now = new Date().toISOString();
  return {
    username: input.username,
    sub: input.sub,
    attributes: input.attributes,
    status: input.status,
    enabled: true,
    srp: storeSrpUser(registerSrpUser(input.srpPoolName, input.username, input.password)),
    passwordHistory: [],
    groups: [],
    mfa: { totp: false, email: false },
    webAuthn: [],
    codes: {},
    createdAt: now,
    updatedAt: now,
  };
}

export class UserStore {
  private readonly state: JsonState<UserMap>;

  constructor(
    stateDir: string,
    private readonly caseSensitive: boolean,
  ) {
    this.state = new JsonState<UserMap>(path.join(stateDir, 'users.json'), () => ({}));
  }

  private key(username: string): string {
    return this.caseSensitive ? username : username.toLowerCase();
  }

  /** By username, or by (case-insensitive) email when the pool signs in with email. */
  find(usernameOrEmail: string, byEmail: boolean): StoredUser | undefined {
    const users = this.state.get();
    const direct = users[this.key(usernameOrEmail)];
    if (direct) return direct;
    if (!byEmail) return undefined;
    const wanted = usernameOrEmail.toLowerCase();
    return Object.values(users).find((u) => u.attributes.email?.toLowerCase() === wanted);
  }

  findBySub(sub: string): StoredUser | undefined {
    return Object.values(this.state.get()).find((u) => u.sub === sub);
  }

  all(): StoredUser[] {
    return Object.values(this.state.get());
  }

  add(user: StoredUser): void {
    this.state.update((users) => {
      users[this.key(user.username)] = user;
    });
  }

  /** Changes a user and persists; the user must exist. */
  change<R>(user: StoredUser, apply: (u: StoredUser) => R): R {
    return this.state.update((users) => {
      const stored = users[this.key(user.username)];
      if (!stored) throw new Error(`user ${user.username} vanished`);
      const result = apply(stored);
      stored.updatedAt = new Date().toISOString();
      return result;
    });
  }

  remove(user: StoredUser): void {
    this.state.update((users) => {
      delete users[this.key(user.username)];
    });
  }
}
