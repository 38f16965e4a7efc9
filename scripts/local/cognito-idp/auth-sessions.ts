/**
 * Sign-ins in flight between InitiateAuth and the last RespondToAuthChallenge,
 * kept in memory (a restart ends them, as an expired session would). Each
 * lives for the client's AuthSessionValidity.
 */
import { AwsJsonError } from './aws-json';
import { opaqueToken } from './ids';
import type { MfaType } from './pool-config';
import type { SrpSession } from './srp-server';

export interface AuthSession {
  readonly username: string;
  readonly clientId: string;
  /** The challenge this session answers next. */
  challenge: string;
  srp?: SrpSession;
  /** The code mailed for EMAIL_OTP (first factor or MFA). */
  emailCode?: string;
  /** An email address being enrolled for email MFA during MFA_SETUP. */
  mfaSetupEmail?: string;
  /** A TOTP secret being enrolled during MFA_SETUP; verified by VerifySoftwareToken. */
  mfaSetupSecret?: { secret: string; verified: boolean; friendlyName?: string };
  mfaCanChoose?: MfaType[];
  availableChallenges?: string[];
  webAuthnChallenge?: string;
  /** Whether the first factor was a password (MFA follows only then). */
  passwordFirstFactor: boolean;
  failedAttempts: number;
}

interface Entry {
  session: AuthSession;
  expiresAt: number;
}

/** Wrong codes a session tolerates before it ends, as Cognito's retry limit. */
const MAX_FAILED_ATTEMPTS = 3;

export class AuthSessions {
  private readonly sessions = new Map<string, Entry>();

  start(session: Omit<AuthSession, 'failedAttempts'>, lifetimeSeconds: number): string {
    this.sweep();
    const token = opaqueToken(96);
    this.sessions.set(token, { session: { ...session, failedAttempts: 0 }, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return token;
  }

  /** The live session for `token`, for this client, awaiting `challenge`. */
  get(token: unknown, clientId: string, challenge?: string): AuthSession {
    const entry = typeof token === 'string' ? this.sessions.get(token) : undefined;
    if (!entry || entry.expiresAt <= Date.now() || entry.session.clientId !== clientId) {
      throw new AwsJsonError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    if (challenge !== undefined && entry.session.challenge !== challenge) {
      throw new AwsJsonError('InvalidParameterException', `Invalid challenge name ${challenge}; the session awaits ${entry.session.challenge}.`);
    }
    return entry.session;
  }

  end(token: string): void {
    this.sessions.delete(token);
  }

  /** A wrong answer: the session survives a few, then ends. */
  failed(token: string, session: AuthSession): void {
    session.failedAttempts += 1;
    if (session.failedAttempts >= MAX_FAILED_ATTEMPTS) this.sessions.delete(token);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(token);
  }
}
