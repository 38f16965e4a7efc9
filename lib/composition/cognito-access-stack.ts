import { Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { AuthorizedApi } from '../api/authorized-api';
import { API_ROUTES } from '../api/routes';
import type { StageConfig } from '../config/stage-config';
import { FederatedIdentities } from '../federated-identities/federated-identities';
import { IdentityScopedStorage } from '../identity-storage/identity-scoped-storage';
import { OperationsAlarms } from '../operations/operations-alarms';
import { OPERATIONS_DEFAULTS } from '../operations/operations-defaults';
import { AccessOutputs, type AccessOutputValues } from '../outputs/access-outputs';
import { outputsByName } from '../../contracts/output-names';
import { LogEncryptionKey } from '../protection/log-encryption-key';
import { RegionalWebAcl } from '../protection/web-acl';
import { acknowledgeStageFindings } from './stage-acknowledgements';
import { removalPolicyOf } from '../config/removal';
import { apiProps } from '../config/sections/api';
import { federationProps } from '../config/sections/federation';
import { federatedIdentitiesProps } from '../config/sections/identity-pool';
import { webAclProps } from '../config/sections/protection';
import { storageProps, uploadChecksProps } from '../config/sections/storage';
import { userPoolProps } from '../config/sections/user-pool';
import { webAppProps } from '../config/sections/web-app';
import { webClientProps } from '../config/sections/web-client';
import { UploadChecks } from '../upload-checks/upload-checks';
import { UserDirectory } from '../user-directory/user-directory';
import { HostedWebApp } from '../web-app/hosted-web-app';
import { webBundleSource } from '../web-app/web-bundle-source';
import { buildAmplifyOutputs } from '../client-config/build-amplify-outputs';

export interface CognitoAccessStackProps extends StackProps {
  /** The stage name, e.g. `dev`; used for tags and names. */
  readonly stage: string;
  /** The validated `config/<stage>.json`. */
  readonly config: StageConfig;
}

/**
 * The identity pool's logical ID from the first layout, when it sat inside
 * the storage construct. A new logical ID would replace the pool and give
 * every user a new identity ID, orphaning their files; a test pins it.
 */
const IDENTITY_POOL_LOGICAL_ID = 'IdentityStorageIdentityPool1C1F9BAD';

/**
 * Its role attachment's first logical ID too: a pool has one attachment, and
 * CloudFormation would create the new one and then delete the old, whose
 * delete clears the pool's roles, leaving users without credentials.
 */
const ROLE_ATTACHMENT_LOGICAL_ID = 'IdentityStorageIdentityPoolDefaultRoleAttachmentB5974E01';

/**
 * One stage of cognito-access: the composition layer. With the section
 * mappers of `lib/config/sections/` and `stage-acknowledgements.ts` it is the
 * only code that reads a stage config; constructs get typed props and stay reusable.
 *
 * Construct IDs below are a public contract: renaming one replaces the
 * resource, and for the user pool that means every user is lost.
 */
export class CognitoAccessStack extends Stack {
  public readonly userDirectory: UserDirectory;
  public readonly identities: FederatedIdentities;
  public readonly storage: IdentityScopedStorage;
  public readonly uploadChecks: UploadChecks;
  public readonly api: AuthorizedApi;
  public readonly outputs: AccessOutputs;
  /** Only when the stage hosts the web app. */
  public readonly webApp?: HostedWebApp;
  public readonly operations: OperationsAlarms;
  /** Undefined unless `protection.logEncryption`. */
  public readonly logEncryption?: LogEncryptionKey;
  /** Undefined unless `protection.waf.enabled`. */
  public readonly webAcl?: RegionalWebAcl;

  constructor(scope: Construct, id: string, props: CognitoAccessStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    Tags.of(this).add('app', 'cognito-access');
    Tags.of(this).add('stage', stage);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);

    if (config.protection.logEncryption) {
      this.logEncryption = new LogEncryptionKey(this, 'LogEncryption', { removalPolicy: removalPolicyOf(config) });
    }
    const logEncryptionKey = this.logEncryption?.key;

    // First, so its URL can join the callback URLs and CORS origins below. The distribution
    // itself depends on none of them (nor on the user pool client): no dependency cycle.
    if (config.webApp.enabled) this.webApp = new HostedWebApp(this, 'WebApp', { ...webAppProps(config), logEncryptionKey });
    const siteUrl = this.webApp?.url;

    this.userDirectory = new UserDirectory(this, 'UserDirectory', {
      ...userPoolProps(config),
      ...webClientProps(config, siteUrl),
      ...federationProps(config),
      logEncryptionKey,
    });

    if (config.protection.waf.enabled) {
      this.webAcl = new RegionalWebAcl(this, 'WebAcl', { ...webAclProps(config), logEncryptionKey });
      this.webAcl.associate('UserPoolAssociation', this.userDirectory.userPool.userPoolArn);
    }

    this.identities = new FederatedIdentities(this, 'FederatedIdentities', {
      ...federatedIdentitiesProps(config),
      userPool: this.userDirectory.userPool,
      userPoolClient: this.userDirectory.webClient,
      pinnedLogicalIds: { identityPool: IDENTITY_POOL_LOGICAL_ID, roleAttachment: ROLE_ATTACHMENT_LOGICAL_ID },
    });

    // The site's origin joins the bucket's CORS later (addCorsOrigin): the site's CSP names the bucket.
    this.storage = new IdentityScopedStorage(this, 'IdentityStorage', storageProps(config));
    this.storage.grantOwnData(this.identities.authenticatedRole);
    for (const group of config.userPool.groups.filter((g) => g.fileAccess === 'read-all')) {
      const role = this.identities.groupRoles[group.name];
      this.userDirectory.assignGroupRole(group.name, role);
      this.storage.grantOwnData(role);
      this.storage.grantReadAll(role);
    }

    this.uploadChecks = new UploadChecks(this, 'UploadChecks', { ...uploadChecksProps(config), bucket: this.storage.bucket, logEncryptionKey });

    this.api = new AuthorizedApi(this, 'AuthorizedApi', {
      ...apiProps(config, siteUrl),
      uploadResults: this.uploadChecks,
      accountDeletion: { storage: this.storage, uploadResults: this.uploadChecks, identities: this.identities, users: this.userDirectory },
      userPool: this.userDirectory.userPool,
      identityPoolId: this.identities.identityPool.identityPoolId,
      bucket: this.storage.bucket,
      routes: API_ROUTES,
      logEncryptionKey,
      // The stack's own ACL, or the existing one the stage names (never both; the schema refuses it).
      webAclArn: this.webAcl?.webAcl.attrArn ?? config.api.webAclArn,
    });

    this.operations = new OperationsAlarms(this, 'Operations', {
      apiStage: this.api.api.deploymentStage,
      handlers: {
        ...Object.fromEntries(Object.entries(this.api.handlers).map(([name, handler]) => [name, handler.function])),
        UploadChecker: this.uploadChecks.checker.function,
      },
      userPoolId: this.userDirectory.userPool.userPoolId,
      userPoolClientId: this.userDirectory.webClient.userPoolClientId,
      webAclMetricName: this.webAcl?.metricName,
      alarmEmail: config.protection.alarmEmail,
      removalPolicy: removalPolicyOf(config),
    });

    // Messages that failed every retry, or events EventBridge could not deliver: each needs a look.
    this.operations.alarmOnQueueDepth(this.uploadChecks.deadLetterQueue);
    // A backlog the checker does not drain would otherwise expire unseen after the queue's retention.
    this.operations.alarmOnQueueAge(this.uploadChecks.queue, Duration.seconds(OPERATIONS_DEFAULTS.uploadQueueOldestMessageSeconds));
    this.operations.alarmOnAnyOccurrence(
      'UploadKeysOutsideIdentityPrefix',
      this.uploadChecks.metricKeysOutsideIdentityPrefix(),
      'The upload checker was handed an object whose key is not under an identity-ID prefix.',
    );

    const outputValues: AccessOutputValues = {
      userPoolId: this.userDirectory.userPool.userPoolId,
      userPoolClientId: this.userDirectory.webClient.userPoolClientId,
      identityPoolId: this.identities.identityPool.identityPoolId,
      region: this.region,
      bucketName: this.storage.bucket.bucketName,
      tableName: this.storage.table.tableName,
      apiUrl: this.api.api.url,
      signInDomain: this.userDirectory.signInDomainName,
      signInDomainAliasTarget: 'customDomain' in (config.domain ?? {}) ? this.userDirectory.domain?.cloudFrontEndpoint : undefined,
      webAppUrl: siteUrl,
      alarmTopicArn: this.operations.topic.topicArn,
    };
    this.outputs = new AccessOutputs(this, 'Outputs', {
      exportPrefix: this.stackName,
      parameterPrefix: config.ssmPrefix ?? `/cognito-access/${stage}`,
      values: outputValues,
    });

    if (this.webApp) {
      // Exactly what the page calls (docs/design.md, "Web app"): Cognito of this Region, the bucket, the API, the sign-in domain.
      for (const origin of [
        `https://cognito-idp.${this.region}.${this.urlSuffix}`,
        `https://cognito-identity.${this.region}.${this.urlSuffix}`,
        this.storage.browserOrigin,
        this.api.origin,
        ...(this.userDirectory.signInDomainName ? [`https://${this.userDirectory.signInDomainName}`] : []),
      ]) {
        this.webApp.addConnectOrigin(origin);
      }
      this.storage.addCorsOrigin(this.webApp.url);
      // The same amplify_outputs.json `npm run client-config` writes, from this stack's own
      // values: written by the deployment, so the site never needs a second step.
      const clientConfig = buildAmplifyOutputs({ stage, stackName: this.stackName, config, outputs: outputsByName(outputValues) });
      this.webApp.deployContent([webBundleSource(), Source.jsonData('amplify_outputs.json', clientConfig)]);
    }

    acknowledgeStageFindings(stage, config, {
      stack: this,
      userPool: this.userDirectory.userPool,
      identityPool: this.identities.identityPool,
      bucket: this.storage.bucket,
      api: this.api,
      apiStage: this.api.api.deploymentStage,
    });
  }
}
