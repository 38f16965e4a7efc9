/**
 * The buckets of the template as the local S3 serves them: name, versioning,
 * CORS rules and whether S3 sends events to EventBridge. A bucket setting the
 * local S3 cannot honour stops the run with a message naming it.
 */
import type { LocalTemplate } from '../contracts';
import type { UntypedJson } from '../../common/untyped-json';

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly maxAge?: number;
}

export interface LocalBucket {
  readonly logicalId: string;
  readonly name: string;
  readonly versioned: boolean;
  readonly cors: readonly CorsRule[];
  /** NotificationConfiguration.EventBridgeConfiguration, on the bucket or through CDK's Custom::S3BucketNotifications. */
  readonly eventBridge: boolean;
  /** The default encryption S3 reports on writes (`AES256`, `aws:kms`). */
  readonly defaultEncryption: string;
  /** The KMS key of SSE-KMS default encryption, as an ARN or key ID. */
  readonly kmsKeyId?: string;
  /** Properties of the bucket the local S3 keeps no behaviour for (listed at start). */
  readonly notEmulated: readonly string[];
}

/** Bucket properties with behaviour the local S3 does not reproduce (they change nothing a request can see at once). */
const NOT_EMULATED_PROPERTIES: Readonly<Record<string, string>> = {
  LifecycleConfiguration: 'lifecycle rules (nothing expires or transitions)',
  LoggingConfiguration: 'server access logs (none are written)',
  ReplicationConfiguration: 'replication',
  InventoryConfigurations: 'inventory reports',
  MetricsConfigurations: 'request metrics',
  AnalyticsConfigurations: 'storage class analysis',
  IntelligentTieringConfigurations: 'Intelligent-Tiering archive tiers',
  AccelerateConfiguration: 'transfer acceleration',
  WebsiteConfiguration: 'static website hosting',
};

export class BucketConfigError extends Error {}

/** `<stack-name-lower>-<logical-id-lower>-local`, at most 63 characters (S3's limit), deterministic. */
export function localBucketName(stackName: string, logicalId: string): string {
  const name = `${stackName}-${logicalId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return `${name.slice(0, 63 - '-local'.length)}-local`;
}

type Props = Record<string, UntypedJson>;

const UNSUPPORTED_NOTIFICATIONS = ['LambdaConfigurations', 'QueueConfigurations', 'TopicConfigurations'];

function checkNotifications(where: string, config: Props | undefined): boolean {
  if (!config) return false;
  for (const key of UNSUPPORTED_NOTIFICATIONS) {
    if (config[key] !== undefined && (!Array.isArray(config[key]) || config[key].length > 0)) {
      throw new BucketConfigError(`${where}: NotificationConfiguration.${key} is not emulated by the local run; only EventBridgeConfiguration is`);
    }
  }
  const eventBridge = config.EventBridgeConfiguration;
  return eventBridge !== undefined && eventBridge.EventBridgeEnabled !== false;
}

/**
 * Names every AWS::S3::Bucket (template.setPhysical, before anything resolves
 * a name) and reads what the local S3 needs. Call once, first.
 */
export function configureBuckets(template: LocalTemplate): LocalBucket[] {
  const ids = template.resourcesOfType('AWS::S3::Bucket');
  const names = new Map<string, string>();
  for (const id of ids) {
    const props = (template.resources[id].Properties ?? {}) as Props;
    const name = props.BucketName !== undefined ? template.resolve<string>(props.BucketName) : localBucketName(template.stackName, id);
    template.setPhysical(id, name, {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${template.region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${template.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${template.region}.amazonaws.com`,
    });
    names.set(id, name);
  }
  const corsViaSdkCall = putBucketCorsCalls(template);
  const viaCustomResource = new Set<string>();
  for (const id of template.resourcesOfType('Custom::S3BucketNotifications')) {
    const props = (template.resources[id].Properties ?? {}) as Props;
    const bucket = template.resolve<string>(props.BucketName);
    if (checkNotifications(`${id} (bucket ${bucket})`, props.NotificationConfiguration)) viaCustomResource.add(bucket);
  }
  return ids.map((id) => {
    const props = (template.resources[id].Properties ?? {}) as Props;
    const name = names.get(id)!;
    if (props.ObjectLockEnabled === true) throw new BucketConfigError(`${id}: ObjectLockEnabled is not emulated by the local run`);
    const fromProperties = (template.resolve<Props[] | undefined>(props.CorsConfiguration?.CorsRules) ?? []).map((rule): CorsRule => ({
      allowedOrigins: rule.AllowedOrigins ?? [],
      allowedMethods: rule.AllowedMethods ?? [],
      allowedHeaders: (rule.AllowedHeaders ?? []).map((h: string) => h.toLowerCase()),
      exposedHeaders: rule.ExposedHeaders ?? [],
      maxAge: rule.MaxAge,
    }));
    // A PutBucketCors call made after deploy replaces the rules of the bucket's properties, as in S3.
    const rules = corsViaSdkCall.get(name) ?? fromProperties;
    const byDefault = props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault ?? {};
    const encryption = byDefault.SSEAlgorithm;
    return {
      logicalId: id,
      name,
      versioned: props.VersioningConfiguration?.Status === 'Enabled',
      cors: rules,
      eventBridge: checkNotifications(id, props.NotificationConfiguration) || viaCustomResource.has(name),
      defaultEncryption: typeof encryption === 'string' ? encryption : 'AES256',
      kmsKeyId: byDefault.KMSMasterKeyID === undefined ? undefined : template.resolve<string>(byDefault.KMSMasterKeyID),
      notEmulated: Object.entries(NOT_EMULATED_PROPERTIES)
        .filter(([property]) => props[property] !== undefined)
        .map(([, what]) => what),
    };
  });
}

/**
 * CORS rules written by CDK's AwsCustomResource (`Custom::AWS`) with an S3
 * PutBucketCors call, by bucket name. Only calls that name PutBucketCors are
 * resolved, so unrelated SDK calls never need local values.
 */
function putBucketCorsCalls(template: LocalTemplate): Map<string, CorsRule[]> {
  const byBucket = new Map<string, CorsRule[]>();
  for (const id of template.resourcesOfType('Custom::AWS')) {
    const props = (template.resources[id].Properties ?? {}) as Props;
    const raw = props.Update ?? props.Create;
    if (raw === undefined || !/PutBucketCors/i.test(JSON.stringify(raw))) continue;
    const text = template.resolve<string>(raw);
    let call: Props;
    try {
      call = JSON.parse(text);
    } catch {
      throw new BucketConfigError(`${id}: its PutBucketCors call is not JSON after resolving intrinsics`);
    }
    if (
      String(call.service)
        .replace(/^@aws-sdk\/client-/, '')
        .toLowerCase() !== 's3' ||
      String(call.action).toLowerCase() !== 'putbucketcors'
    )
      continue;
    const bucket = call.parameters?.Bucket;
    const rules = call.parameters?.CORSConfiguration?.CORSRules;
    if (typeof bucket !== 'string' || !Array.isArray(rules)) throw new BucketConfigError(`${id}: PutBucketCors names no Bucket or CORSRules`);
    byBucket.set(
      bucket,
      rules.map((rule: Props) => ({
        allowedOrigins: rule.AllowedOrigins ?? [],
        allowedMethods: rule.AllowedMethods ?? [],
        allowedHeaders: (rule.AllowedHeaders ?? []).map((h: string) => h.toLowerCase()),
        exposedHeaders: rule.ExposeHeaders ?? [],
        maxAge: rule.MaxAgeSeconds,
      })),
    );
  }
  return byBucket;
}
