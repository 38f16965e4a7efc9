/** Identity IDs (`<region>:<uuid>`), persisted: one per user pool login, new ones for guests. */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { JsonState } from '../cognito-idp/json-state';

interface Identity {
  /** `<providerName>:<sub>` keys linked to it; none for a guest. */
  readonly logins: string[];
  readonly createdAt: string;
}

interface IdentityState {
  identities: Record<string, Identity>;
  byLogin: Record<string, string>;
}

export class IdentityStore {
  private readonly state: JsonState<IdentityState>;

  constructor(
    stateDir: string,
    private readonly region: string,
  ) {
    this.state = new JsonState<IdentityState>(path.join(stateDir, 'identities.json'), () => ({ identities: {}, byLogin: {} }));
  }

  get(identityId: string): Identity | undefined {
    return this.state.get().identities[identityId];
  }

  /** The identity of a login, created on first use (Cognito's GetId). */
  forLogin(loginKey: string): string {
    const existing = this.state.get().byLogin[loginKey];
    if (existing) return existing;
    return this.state.update((s) => {
      const id = `${this.region}:${randomUUID()}`;
      s.identities[id] = { logins: [loginKey], createdAt: new Date().toISOString() };
      s.byLogin[loginKey] = id;
      return id;
    });
  }

  identityOfLogin(loginKey: string): string | undefined {
    return this.state.get().byLogin[loginKey];
  }

  /** DeleteIdentities: the identity and its logins (a later GetId makes a new one). */
  remove(identityId: string): boolean {
    if (!this.get(identityId)) return false;
    this.state.update((s) => {
      for (const login of s.identities[identityId].logins) delete s.byLogin[login];
      delete s.identities[identityId];
    });
    return true;
  }

  newGuest(): string {
    return this.state.update((s) => {
      const id = `${this.region}:${randomUUID()}`;
      s.identities[id] = { logins: [], createdAt: new Date().toISOString() };
      return id;
    });
  }
}
