import { Annotations, type IAspect } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { IConstruct } from 'constructs';

/**
 * Fails synth when any API method other than a CORS preflight is not behind
 * the Cognito authorizer. The authorizer is the API's default method option,
 * so this only fires when someone overrides it on purpose or by mistake.
 */
export class RequireCognitoAuthorization implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof apigw.CfnMethod)) return;
    if (node.httpMethod === 'OPTIONS') return;
    if (node.authorizationType !== apigw.AuthorizationType.COGNITO || !node.authorizerId) {
      Annotations.of(node).addError(
        `${node.httpMethod} ${node.node.path} is not protected by the Cognito authorizer (AuthorizationType ${node.authorizationType ?? 'NONE'}). ` +
          'Every route must require a user pool ID token; remove the authorization override.',
      );
    }
  }
}
