import { Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TRIGGER_ENV, type ProviderSignUpPolicy } from '../../contracts/trigger-env';
import { bundledHandlerCode } from '../handlers/handler-code';
import { handlerEntry } from '../handlers/handler-entry';
import { HandlerFunction } from '../handlers/handler-function';
import { ValidationError } from '../util/validation-error';

export interface SignUpTriggersProps {
  readonly userPool: cognito.UserPool;
  /**
   * Only these email domains may sign up, from any source (self sign-up,
   * administrator, federated provider): at least one, lowercase, such as
   * example.org (the trigger compares lowercased addresses).
   * @default - any domain
   */
  readonly allowedEmailDomains?: readonly string[];
  /**
   * Every federated provider of the pool by its Cognito provider name (`Google`,
   * `LoginWithAmazon`, an OIDC or SAML name) with its sign-up policy. A provider
   * left out is refused, so list every one once the trigger exists.
   * @default - no federated providers
   */
  readonly providerSignUp?: Readonly<Record<string, ProviderSignUpPolicy>>;
  /**
   * The name of the group every newly confirmed user joins (it must exist in
   * the pool). A plain name, not the group's Ref: the group depends on the pool,
   * which depends on this trigger, so a Ref here would be a cycle.
   * @default - no group (no post-confirmation trigger)
   */
  readonly defaultGroupName?: string;
  /**
   * Turns a trigger's entry file into Lambda code.
   * @default bundledHandlerCode
   */
  readonly handlerCode?: (entry: string) => lambda.Code;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default - HandlerFunction's default retention */
  readonly logRetention?: logs.RetentionDays;
  /** Customer managed key for the triggers' log groups. @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The user pool's sign-up triggers: a pre sign-up function that enforces the
 * email-domain allow-list and each provider's sign-up policy (created only when
 * there is something to refuse), and a post-confirmation function that adds
 * each new user to the default group.
 */
export class SignUpTriggers extends Construct {
  public readonly preSignUp?: HandlerFunction;
  public readonly postConfirmation?: HandlerFunction;

  constructor(scope: Construct, id: string, props: SignUpTriggersProps) {
    super(scope, id);
    const code = props.handlerCode ?? bundledHandlerCode;
    const domains = props.allowedEmailDomains;
    const providerSignUp = props.providerSignUp ?? {};
    if (domains || Object.values(providerSignUp).some((policy) => policy !== 'open')) {
      this.preSignUp = new HandlerFunction(this, 'PreSignUp', {
        code: code(handlerEntry('pre-sign-up')),
        environment: {
          ...(domains ? { [TRIGGER_ENV.allowedEmailDomains]: domains.join(',') } : {}),
          // Every provider, open ones included: the trigger refuses a provider it does not know.
          [TRIGGER_ENV.providerSignUp]: JSON.stringify(providerSignUp),
        },
        purpose: 'the pre sign-up trigger',
        invokedBy: 'cognito',
        logRemovalPolicy: props.logRemovalPolicy,
        logRetention: props.logRetention,
        logEncryptionKey: props.logEncryptionKey,
      });
      props.userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, this.preSignUp.function);
      this.pinInvokingAccount(props.userPool, 'PreSignUpCognito');
    }

    if (props.defaultGroupName) {
      this.postConfirmation = new HandlerFunction(this, 'PostConfirmation', {
        code: code(handlerEntry('post-confirmation')),
        environment: { [TRIGGER_ENV.defaultGroup]: props.defaultGroupName },
        purpose: 'the post-confirmation trigger',
        invokedBy: 'cognito',
        logRemovalPolicy: props.logRemovalPolicy,
        logRetention: props.logRetention,
        logEncryptionKey: props.logEncryptionKey,
      });
      props.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);
      this.pinInvokingAccount(props.userPool, 'PostConfirmationCognito');
      // A Policy of its own, not the role's default policy: the function depends on its
      // role (and that role's default policy), the pool depends on the function (its
      // trigger), so a statement naming the pool ARN inside the role would be a cycle.
      new iam.Policy(this, 'AddToGroupPolicy', {
        roles: [this.postConfirmation.role],
        statements: [new iam.PolicyStatement({ actions: ['cognito-idp:AdminAddUserToGroup'], resources: [props.userPool.userPoolArn] })],
      });
    }
  }

  /**
   * addTrigger's invoke permission names the pool (SourceArn) but not the account;
   * like every other invoke permission of the stack, it names both. CDK creates it
   * under the pool as `<Operation>Cognito`.
   */
  private pinInvokingAccount(userPool: cognito.UserPool, permissionId: string): void {
    const permission = userPool.node.tryFindChild(permissionId);
    if (!(permission instanceof lambda.CfnPermission)) {
      throw new ValidationError(`Expected the trigger's invoke permission ${permissionId} under the user pool.`, this);
    }
    permission.sourceAccount = Stack.of(this).account;
  }
}
