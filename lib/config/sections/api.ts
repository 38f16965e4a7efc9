/** `api`: the REST API and its handlers, and the AuthorizedApi props it becomes. */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { z } from 'zod';
import { UPLOAD_DEFAULTS } from '../../../contracts/handler-env';
import { API_DEFAULTS } from '../../api/api-defaults';
import type { AuthorizedApiProps } from '../../api/authorized-api';
import { RETENTION_TEXT, retentionDays } from '../fields';
import { logFileNamesOf, removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';
import { webOriginsOf } from './web-origins';

export const api = z
  .strictObject({
    throttling: z
      .strictObject({
        rateLimit: z.number().int().min(1).max(10000).default(API_DEFAULTS.throttlingRateLimit).describe('Steady-state requests per second for the stage.'),
        burstLimit: z.number().int().min(1).max(5000).default(API_DEFAULTS.throttlingBurstLimit).describe('Requests the stage takes at once above the rate.'),
      })
      .prefault({})
      .describe('Stage throttling; see docs/scale.md for where it binds.'),
    authorizerCacheSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(API_DEFAULTS.authorizerCacheSeconds)
      .describe('How long API Gateway caches a validated token (0 turns the cache off).'),
    accessLogRetentionDays: retentionDays.default(API_DEFAULTS.accessLogRetentionDays).describe(`Days the JSON access logs are kept (${RETENTION_TEXT}).`),
    executionLogLevel: z
      .enum(['off', 'error', 'info'])
      .default(API_DEFAULTS.executionLogLevel)
      .describe(
        'Execution logging, never with bodies. Other than "off" it needs the account\'s API Gateway CloudWatch role, which this stack does not create (docs/delivery.md, "Deploying to a real account").',
      ),
    tracing: z.boolean().default(API_DEFAULTS.tracing).describe('X-Ray tracing of the stage and handlers.'),
    webAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'a regional WAFv2 web ACL ARN')
      .optional()
      .describe('Associate an existing regional WAFv2 web ACL with the API stage: the alternative to protection.waf (both set is an error).'),
    handlerMemoryMb: z.number().int().min(128).max(10240).default(API_DEFAULTS.handlerMemoryMb).describe('Memory of each API handler function, in MB.'),
    handlerTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(29)
      .default(API_DEFAULTS.handlerTimeoutSeconds)
      .describe("At most 29: API Gateway's integration timeout."),
    handlerLogRetentionDays: retentionDays.default(API_DEFAULTS.handlerLogRetentionDays).describe(`Days the handler logs are kept (${RETENTION_TEXT}).`),
    uploadUrlTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(3600)
      .default(UPLOAD_DEFAULTS.uploadUrlTtlSeconds)
      .describe('Seconds a presigned upload URL stays valid.'),
    downloadUrlTtlSeconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(UPLOAD_DEFAULTS.downloadUrlTtlSeconds)
      .describe('Seconds a presigned download URL stays valid.'),
  })
  .prefault({})
  .describe('The REST API and its handlers.');

/**
 * API settings; the stack adds the user pool, identity pool, bucket and routes.
 * `siteUrl` is the hosted web app's URL when the stage hosts it: its origin joins the CORS origins.
 */
export function apiProps(config: StageConfig, siteUrl?: string): Omit<AuthorizedApiProps, 'userPool' | 'identityPoolId' | 'bucket' | 'routes'> {
  return {
    allowedOrigins: webOriginsOf(config, siteUrl),
    allowedContentTypes: config.storage.allowedContentTypes,
    maxUploadBytes: config.storage.maxUploadBytes,
    logFileNames: logFileNamesOf(config),
    uploadUrlTtl: Duration.seconds(config.api.uploadUrlTtlSeconds),
    downloadUrlTtl: Duration.seconds(config.api.downloadUrlTtlSeconds),
    throttlingRateLimit: config.api.throttling.rateLimit,
    throttlingBurstLimit: config.api.throttling.burstLimit,
    authorizerCacheTtl: Duration.seconds(config.api.authorizerCacheSeconds),
    // The schema admits only the retention values CloudWatch Logs accepts.
    accessLogRetention: config.api.accessLogRetentionDays,
    executionLogLevel: EXECUTION_LOG_LEVEL[config.api.executionLogLevel],
    tracing: config.api.tracing,
    handlerMemorySize: config.api.handlerMemoryMb,
    handlerTimeout: Duration.seconds(config.api.handlerTimeoutSeconds),
    handlerLogRetention: config.api.handlerLogRetentionDays,
    webAclArn: config.api.webAclArn,
    logRemovalPolicy: removalPolicyOf(config),
    identityMapRemovalPolicy: removalPolicyOf(config),
  };
}

const EXECUTION_LOG_LEVEL: Record<StageConfig['api']['executionLogLevel'], apigw.MethodLoggingLevel> = {
  off: apigw.MethodLoggingLevel.OFF,
  error: apigw.MethodLoggingLevel.ERROR,
  info: apigw.MethodLoggingLevel.INFO,
};
