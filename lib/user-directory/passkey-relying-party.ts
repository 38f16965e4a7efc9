/**
 * The one rule for the passkeys' WebAuthn relying party (docs/sign-in.md):
 * the configured one, else the sign-in domain's host, and passkeys without
 * either are refused. `UserDirectory` enforces it at synth; the client config
 * builder, which builds no stack, applies the same function to the deployed
 * domain. Pure: no CDK.
 */
export const MISSING_RELYING_PARTY = 'Passkeys need a relying party: set passkeyRelyingPartyId or configure a sign-in domain.';

/** Thrown by {@link passkeyRelyingPartyOf}; callers rethrow it as their own error type. */
export class MissingRelyingPartyError extends Error {
  constructor() {
    super(MISSING_RELYING_PARTY);
    this.name = 'MissingRelyingPartyError';
  }
}

/** The relying party passkeys use, or undefined without passkeys; throws when passkeys have none. */
export function passkeyRelyingPartyOf(passkeys: boolean, configured: string | undefined, signInHost: string | undefined): string | undefined {
  if (!passkeys) return configured;
  const relyingParty = configured ?? signInHost;
  if (!relyingParty) throw new MissingRelyingPartyError();
  return relyingParty;
}
