/**
 * The local run's operator: what the deployer's credentials are in a real
 * account (AdministratorAccess in the same account). The smoke test uses them
 * for its admin steps and cleanup (AdminCreateUser, DeleteIdentities, version
 * deletes), as it uses the deployer's credentials against AWS. Every other
 * principal is judged by the template's policies.
 */
import type { CredentialPrincipal, LocalTemplate } from './contracts';
import type { AuthorizeDecision, AuthorizeRequest } from './iam/template-authorizer';

export const OPERATOR_ROLE_ID = 'LocalOperator';

export function operatorPrincipal(template: LocalTemplate): CredentialPrincipal {
  return { roleLogicalId: OPERATOR_ROLE_ID, roleArn: `arn:aws:iam::${template.accountId}:role/cognito-access-local-operator` };
}

export function isOperator(principal: CredentialPrincipal): boolean {
  return principal.roleLogicalId === OPERATOR_ROLE_ID;
}

/** The template's authorizer, with the operator allowed everything (it has no policies in the template). */
export function withOperator(authorizer: { authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> }): {
  authorize(request: AuthorizeRequest): Promise<AuthorizeDecision>;
} {
  return {
    authorize: (request) => (isOperator(request.principal) ? Promise.resolve({ allowed: true, result: 'Allowed' }) : authorizer.authorize(request)),
  };
}
