/**
 * Deterministic local physical IDs and attributes, per resource type, in the
 * shapes the real services use (docs/local.md). A resource whose template names
 * it (BucketName, TableName, RoleName, …) keeps that name; otherwise the name is
 * `<StackName>-<LogicalId>-<suffix>` with a suffix hashed from both, so the same
 * stage always gets the same names and ARNs across runs.
 */
import { createHash } from 'node:crypto';
import type { TemplateResource } from '../contracts';

export interface PhysicalContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

export interface Physical {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of `alphabet`, drawn from a hash of the seed. */
export function hashedChars(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}#${round}`).digest()) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A UUID (version-4 shape) hashed from the seed. */
export function hashedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function generatedName(ctx: PhysicalContext, logicalId: string, maxLength: number, lower = false): string {
  const suffix = hashedChars(`${ctx.stackName}/${logicalId}`, 12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  const base = `${ctx.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1);
  const name = `${base}-${suffix}`;
  return lower ? name.toLowerCase() : name;
}

function named(resource: TemplateResource, property: string, resolveName: (value: unknown) => string): string | undefined {
  const value = resource.Properties?.[property];
  return value === undefined ? undefined : resolveName(value);
}

/**
 * The physical ID (what Ref returns) and the attributes Fn::GetAtt may ask for.
 * `resolveName` resolves a naming property that may itself be an intrinsic.
 */
export function defaultPhysical(ctx: PhysicalContext, logicalId: string, resource: TemplateResource, resolveName: (value: unknown) => string): Physical {
  const { region, accountId } = ctx;
  const arn = (service: string, rest: string, withRegion = true, withAccount = true) =>
    `arn:aws:${service}:${withRegion ? region : ''}:${withAccount ? accountId : ''}:${rest}`;
  const seed = `${ctx.stackName}/${logicalId}`;
  switch (resource.Type) {
    case 'AWS::S3::Bucket': {
      const name = named(resource, 'BucketName', resolveName) ?? generatedName(ctx, logicalId, 63, true);
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const name = named(resource, 'TableName', resolveName) ?? generatedName(ctx, logicalId, 255);
      const tableArn = arn('dynamodb', `table/${name}`);
      return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000`, TableId: hashedUuid(seed) } };
    }
    case 'AWS::IAM::Role': {
      const name = named(resource, 'RoleName', resolveName) ?? generatedName(ctx, logicalId, 64);
      const path = typeof resource.Properties?.Path === 'string' ? resource.Properties.Path : '/';
      return {
        ref: name,
        attributes: { Arn: arn('iam', `role${path}${name}`, false), RoleId: `AROA${hashedChars(seed, 17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` },
      };
    }
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy': {
      const name = generatedName(ctx, logicalId, 128);
      return resource.Type === 'AWS::IAM::ManagedPolicy'
        ? { ref: arn('iam', `policy/${name}`, false), attributes: { PolicyArn: arn('iam', `policy/${name}`, false) } }
        : { ref: name, attributes: { Id: name } };
    }
    case 'AWS::Lambda::Function': {
      const name = named(resource, 'FunctionName', resolveName) ?? generatedName(ctx, logicalId, 64);
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::Lambda::LayerVersion': {
      const name = named(resource, 'LayerName', resolveName) ?? generatedName(ctx, logicalId, 64);
      return { ref: arn('lambda', `layer:${name}:1`), attributes: { LayerVersionArn: arn('lambda', `layer:${name}:1`) } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = resource.Properties?.FifoQueue === true;
      const name = named(resource, 'QueueName', resolveName) ?? `${generatedName(ctx, logicalId, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
      const url = `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::SNS::Topic': {
      const name = named(resource, 'TopicName', resolveName) ?? generatedName(ctx, logicalId, 256);
      return { ref: arn('sns', name), attributes: { TopicArn: arn('sns', name), TopicName: name } };
    }
    case 'AWS::Events::Rule': {
      const name = named(resource, 'Name', resolveName) ?? generatedName(ctx, logicalId, 64);
      return { ref: name, attributes: { Arn: arn('events', `rule/${name}`) } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named(resource, 'LogGroupName', resolveName) ?? generatedName(ctx, logicalId, 512);
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::KMS::Key': {
      const id = hashedUuid(seed);
      return { ref: id, attributes: { Arn: arn('kms', `key/${id}`), KeyId: id } };
    }
    case 'AWS::Cognito::UserPool': {
      const id = `${region}_${hashedChars(seed, 9, ALNUM)}`;
      return {
        ref: id,
        attributes: {
          Arn: arn('cognito-idp', `userpool/${id}`),
          ProviderName: `cognito-idp.${region}.amazonaws.com/${id}`,
          ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${id}`,
          UserPoolId: id,
        },
      };
    }
    case 'AWS::Cognito::UserPoolClient': {
      const id = hashedChars(seed, 26, 'abcdefghijklmnopqrstuvwxyz0123456789');
      return { ref: id, attributes: { ClientId: id, Name: generatedName(ctx, logicalId, 128) } };
    }
    case 'AWS::Cognito::IdentityPool': {
      const id = `${region}:${hashedUuid(seed)}`;
      const name = named(resource, 'IdentityPoolName', resolveName) ?? logicalId;
      return { ref: id, attributes: { Name: name, Id: id } };
    }
    case 'AWS::Cognito::UserPoolDomain': {
      const domain = named(resource, 'Domain', resolveName) ?? logicalId.toLowerCase();
      return { ref: domain, attributes: { CloudFrontDistribution: `${hashedChars(seed, 14, 'abcdefghijklmnopqrstuvwxyz0123456789')}.cloudfront.net` } };
    }
    case 'AWS::ApiGateway::RestApi': {
      const id = hashedChars(seed, 10, 'abcdefghijklmnopqrstuvwxyz0123456789');
      return { ref: id, attributes: { RestApiId: id, RootResourceId: hashedChars(`${seed}/root`, 10, 'abcdefghijklmnopqrstuvwxyz0123456789') } };
    }
    case 'AWS::ApiGateway::Stage':
      return { ref: named(resource, 'StageName', resolveName) ?? logicalId, attributes: {} };
    case 'AWS::CloudFront::Distribution': {
      const id = `E${hashedChars(seed, 13, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
      return { ref: id, attributes: { DomainName: `${hashedChars(seed, 14, 'abcdefghijklmnopqrstuvwxyz0123456789')}.cloudfront.net`, Id: id } };
    }
    case 'AWS::SSM::Parameter': {
      const name = named(resource, 'Name', resolveName) ?? generatedName(ctx, logicalId, 1011);
      return { ref: name, attributes: { Type: String(resource.Properties?.Type ?? 'String') } };
    }
    default:
      // Every other type: an opaque, stable ID; Fn::GetAtt on it is refused (no attributes).
      return { ref: generatedName(ctx, logicalId, 128), attributes: {} };
  }
}
