/**
 * Pre sign-up trigger: only email addresses at the allowed domains may sign
 * up, whether they sign themselves up, an administrator creates them, or they
 * arrive through a federated provider (PreSignUp_ExternalProvider). Throwing
 * refuses the sign-up; Cognito shows the message to the user.
 */
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { isAllowedEmail, parseAllowedDomains } from './shared/email-domains';
import { createLogger } from './shared/log';
import { TRIGGER_ENV } from './shared/trigger-env';

const allowed = parseAllowedDomains(process.env[TRIGGER_ENV.allowedEmailDomains]);

/** What a refused user reads (Cognito prefixes "PreSignUp failed with error"). */
export const REFUSED_MESSAGE = 'Sign-up is open only to email addresses at the organization\'s allowed domains.';

export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const log = createLogger('pre-sign-up', String(event?.triggerSource ?? 'unknown'));
  // Fails closed: without a configured allow-list nobody signs up.
  if (allowed.size === 0) {
    log.error('ALLOWED_EMAIL_DOMAINS is empty; refusing every sign-up');
    throw new Error(REFUSED_MESSAGE);
  }
  const email = event?.request?.userAttributes?.email;
  if (!isAllowedEmail(email, allowed)) {
    // The address is personal data: log only that it was refused and how it arrived.
    log.warn('sign-up refused: email domain not allowed', { triggerSource: event?.triggerSource });
    throw new Error(REFUSED_MESSAGE);
  }
  return event;
};
