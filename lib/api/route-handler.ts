import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { API_DEFAULTS } from './api-defaults';
import { BundledFunction } from '../util/bundled-function';

export interface RouteHandlerProps {
  /** The bundled handler; its file is `index.js` and exports `handler`. */
  readonly code: lambda.Code;
  readonly environment: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
  /** @default RemovalPolicy.RETAIN - the audit trail outlives the stack */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * One API handler: a `BundledFunction` invoked by API Gateway, with the API's
 * default memory, timeout and log retention. Callers add exactly the data
 * grants the route needs.
 */
export class RouteHandler extends BundledFunction {
  constructor(scope: Construct, id: string, props: RouteHandlerProps) {
    super(scope, id, {
      ...props,
      purpose: 'API handler',
      invokedBy: 'API Gateway',
      memorySize: props.memorySize ?? API_DEFAULTS.handlerMemoryMb,
      timeout: props.timeout,
      logRetention: props.logRetention ?? (API_DEFAULTS.handlerLogRetentionDays as logs.RetentionDays),
    });
  }
}
