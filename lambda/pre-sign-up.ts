/**
 * Pre sign-up trigger: decides who may join the pool (docs/design.md, "Who can
 * sign up"). Self sign-ups and administrator-created users meet the pool-level
 * email-domain allow-list, if any; a first federated sign-in meets its
 * provider's policy as well. Throwing refuses the sign-up; Cognito shows the
 * message to the user.
 */
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { createLogger } from './shared/log';
import { decideSignUp, parseSignUpRules, type RefusalReason } from './shared/sign-up-policy';
import { TRIGGER_ENV } from '../contracts/trigger-env';

const rules = parseSignUpRules(process.env[TRIGGER_ENV.allowedEmailDomains], process.env[TRIGGER_ENV.providerSignUp]);

/** What a refused user reads (Cognito prefixes "PreSignUp failed with error"). */
export const REFUSED_MESSAGE = "Sign-up is open only to email addresses at the organization's allowed domains.";
/** What a user reads whose provider admits only users an administrator linked first. */
export const EXISTING_USERS_MESSAGE = 'Sign-in through this provider is open only to existing users; ask an administrator for access.';
/** What a user reads whose provider did not confirm the address is verified. */
export const UNVERIFIED_MESSAGE = 'Sign-up needs an email address your provider has verified.';
/** Anything else refused: misconfiguration or an unknown source, which the user cannot fix. */
export const UNAVAILABLE_MESSAGE = 'Sign-up is not available; contact support.';

const MESSAGES: Record<RefusalReason, string> = {
  domain: REFUSED_MESSAGE,
  existingUsersOnly: EXISTING_USERS_MESSAGE,
  unverifiedEmail: UNVERIFIED_MESSAGE,
  unknownProvider: UNAVAILABLE_MESSAGE,
  unknownSource: UNAVAILABLE_MESSAGE,
};

// async without await on purpose: Cognito awaits a promise, and a refusal must reach it as a rejection.
// eslint-disable-next-line @typescript-eslint/require-await -- see the line above
export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const triggerSource = String(event?.triggerSource ?? 'unknown');
  const log = createLogger('pre-sign-up', triggerSource);
  // Fails closed: rules that cannot be read admit nobody.
  if (!rules) {
    log.error(`${TRIGGER_ENV.providerSignUp} or ${TRIGGER_ENV.allowedEmailDomains} is missing or unreadable; refusing every sign-up`);
    throw new Error(UNAVAILABLE_MESSAGE);
  }
  const decision = decideSignUp(event, rules);
  if (!decision.allowed) {
    // The address is personal data: log only why, how the user arrived and through which provider.
    log.warn('sign-up refused', { reason: decision.reason, triggerSource, provider: decision.provider });
    throw new Error(MESSAGES[decision.reason]);
  }
  return event;
};
