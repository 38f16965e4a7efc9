import { Annotations, Token, type IAspect } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { IConstruct } from 'constructs';

/** `<resource server>/<scope>`, as an access token's `scope` claim names it. */
const SCOPE = /^[\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+\/[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Fails synth when any API method other than a CORS preflight is not behind
 * the Cognito authorizer. A method either requires a user pool ID token (no
 * scopes) or an access token with named scopes (`api/uploads.read`); any
 * scope list must be non-empty and name `<resource server>/<scope>`, so a
 * scoped method can never end up open to every token.
 */
export class RequireCognitoAuthorization implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof apigw.CfnMethod)) return;
    if (node.httpMethod === 'OPTIONS') return;
    if (node.authorizationType !== apigw.AuthorizationType.COGNITO || !node.authorizerId) {
      Annotations.of(node).addError(
        `${node.httpMethod} ${node.node.path} is not protected by the Cognito authorizer (AuthorizationType ${node.authorizationType ?? 'NONE'}). ` +
          'Every route must require a user pool token (an ID token, or an access token with named scopes); remove the authorization override.',
      );
      return;
    }
    const scopes = node.authorizationScopes;
    if (scopes === undefined || Token.isUnresolved(scopes)) return;
    if (scopes.length === 0 || scopes.some((scope) => Token.isUnresolved(scope) || !SCOPE.test(scope))) {
      Annotations.of(node).addError(
        `${node.httpMethod} ${node.node.path} names authorization scopes ${JSON.stringify(scopes)}; a scoped method needs at least one "<resource server>/<scope>".`,
      );
    }
  }
}
