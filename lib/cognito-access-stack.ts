import { Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AuthorizedApi } from './api/authorized-api';
import { HANDLER_ROUTES } from './api/handler-bundling';
import type { StageConfig } from './config/stage-config';
import { IdentityScopedStorage } from './identity-storage/identity-scoped-storage';
import { AccessOutputs } from './outputs/access-outputs';
import { apiSettings, storageSettings, userDirectoryProps } from './stage-props';
import { UserDirectory } from './user-directory/user-directory';

export interface CognitoAccessStackProps extends StackProps {
  /** The stage name, e.g. `dev`; used for tags and names. */
  readonly stage: string;
  /** The validated `config/<stage>.json`. */
  readonly config: StageConfig;
}

/**
 * One stage of cognito-access. With `stage-props.ts`, the only code that reads
 * a stage config: it turns config values into construct props, so the
 * constructs stay reusable.
 *
 * Construct IDs below are a public contract: renaming one replaces the
 * resource, and for the user pool that means every user is lost.
 */
export class CognitoAccessStack extends Stack {
  public readonly userDirectory: UserDirectory;
  public readonly storage: IdentityScopedStorage;
  public readonly api: AuthorizedApi;
  public readonly outputs: AccessOutputs;

  constructor(scope: Construct, id: string, props: CognitoAccessStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    Tags.of(this).add('app', 'cognito-access');
    Tags.of(this).add('stage', stage);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);

    this.userDirectory = new UserDirectory(this, 'UserDirectory', userDirectoryProps(config));

    this.storage = new IdentityScopedStorage(this, 'IdentityStorage', {
      ...storageSettings(config),
      userPool: this.userDirectory.userPool,
      userPoolClient: this.userDirectory.webClient,
      groupAccess: config.userPool.groups
        .filter((group) => group.fileAccess === 'read-all')
        .map((group) => ({ groupName: group.name, group: this.userDirectory.groupsByName[group.name], readAllFiles: true })),
    });

    this.api = new AuthorizedApi(this, 'AuthorizedApi', {
      ...apiSettings(config),
      userPool: this.userDirectory.userPool,
      identityPoolId: this.storage.identityPool.identityPoolId,
      bucket: this.storage.bucket,
      routes: [...HANDLER_ROUTES],
    });

    this.outputs = new AccessOutputs(this, 'Outputs', {
      exportPrefix: this.stackName,
      parameterPrefix: config.ssmPrefix ?? `/cognito-access/${stage}`,
      values: {
        userPoolId: this.userDirectory.userPool.userPoolId,
        userPoolClientId: this.userDirectory.webClient.userPoolClientId,
        identityPoolId: this.storage.identityPool.identityPoolId,
        region: this.region,
        bucketName: this.storage.bucket.bucketName,
        tableName: this.storage.table.tableName,
        apiUrl: this.api.api.url,
        signInDomain: this.userDirectory.signInDomainName,
        signInDomainAliasTarget: 'customDomain' in (config.domain ?? {}) ? this.userDirectory.domain?.cloudFrontEndpoint : undefined,
      },
    });

    this.acknowledgeStageChoices(stage, config);
  }

  /** Findings that follow from a stage's own config choices, with that choice as the reason. */
  private acknowledgeStageChoices(stage: string, config: StageConfig): void {
    const userPool = this.userDirectory.userPool;
    if (config.userPool.featurePlan !== 'plus') {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage "${stage}" sets userPool.featurePlan "essentials" on purpose: it is a non-production stage without real users, and the Plus plan (threat protection) is billed per active user. Production stages set "plus".`,
      });
    }
    if (config.userPool.mfa.mode !== 'required') {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `Stage "${stage}" sets userPool.mfa.mode "${config.userPool.mfa.mode}" on purpose so test users can sign in with a password alone; TOTP stays available to every user. Production stages set "required".`,
      });
    }
  }
}
