import type { RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TRIGGER_ENV } from '../../lambda/shared/trigger-env';
import { bundledHandlerCode } from '../api/handler-code';
import { handlerEntry } from '../api/routes';
import { HandlerFunction } from '../util/handler-function';
import { ValidationError } from '../util/validation-error';

export interface SignUpTriggersProps {
  readonly userPool: cognito.UserPool;
  /**
   * Only these email domains may sign up, federated sign-ups included.
   * @default - any domain (no pre sign-up trigger)
   */
  readonly allowedEmailDomains?: readonly string[];
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
  /** Customer managed key for the triggers' log groups. @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * The user pool's sign-up triggers: a pre sign-up function that refuses email
 * domains outside the allow-list, and a post-confirmation function that adds
 * each new user to the default group.
 */
export class SignUpTriggers extends Construct {
  public readonly preSignUp?: HandlerFunction;
  public readonly postConfirmation?: HandlerFunction;

  constructor(scope: Construct, id: string, props: SignUpTriggersProps) {
    super(scope, id);
    const code = props.handlerCode ?? bundledHandlerCode;
    const domains = props.allowedEmailDomains;
    if (domains) {
      if (domains.length === 0 || domains.some((d) => !/^[a-z0-9.-]+$/.test(d))) {
        throw new ValidationError('allowedEmailDomains needs at least one lowercase domain such as example.org.', this);
      }
      this.preSignUp = new HandlerFunction(this, 'PreSignUp', {
        code: code(handlerEntry('pre-sign-up')),
        environment: { [TRIGGER_ENV.allowedEmailDomains]: domains.join(',') },
        purpose: 'the pre sign-up trigger',
        invokedBy: 'cognito',
        logRemovalPolicy: props.logRemovalPolicy,
        logEncryptionKey: props.logEncryptionKey,
      });
      props.userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, this.preSignUp.function);
    }

    if (props.defaultGroupName) {
      this.postConfirmation = new HandlerFunction(this, 'PostConfirmation', {
        code: code(handlerEntry('post-confirmation')),
        environment: { [TRIGGER_ENV.defaultGroup]: props.defaultGroupName },
        purpose: 'the post-confirmation trigger',
        invokedBy: 'cognito',
        logRemovalPolicy: props.logRemovalPolicy,
        logEncryptionKey: props.logEncryptionKey,
      });
      props.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, this.postConfirmation.function);
      // A Policy of its own, not the role's default policy: the function depends on its
      // role (and that role's default policy), the pool depends on the function (its
      // trigger), so a statement naming the pool ARN inside the role would be a cycle.
      new iam.Policy(this, 'AddToGroupPolicy', {
        roles: [this.postConfirmation.role],
        statements: [new iam.PolicyStatement({ actions: ['cognito-idp:AdminAddUserToGroup'], resources: [props.userPool.userPoolArn] })],
      });
    }
  }
}
