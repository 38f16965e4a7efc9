/**
 * The REST API of the local run (port+5, base URL
 * `http://127.0.0.1:<port+5>/<stageName>/`), built from the template
 * (./api-model.ts): stage throttling, route matching, MOCK preflights, the
 * Cognito authorizer, the Lambda permission check and Lambda proxy
 * integrations through the LambdaInvoker, with API Gateway's own errors
 * rendered from the template's gateway responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LambdaInvoker, LocalService, LocalTemplate, UserPoolVerifier } from '../contracts';
import { ApiModelError, readApiModel, type ApiMethod, type ApiModel } from './api-model';
import { CognitoAuthorizer } from './cognito-authorizer';
import { GATEWAY_ERRORS, renderGatewayResponse, type GatewayError } from './gateway-responses';
import { parseMappingTemplate, type MappingTemplate } from './mapping-template';
import { proxyEvent, proxyResponse } from './proxy-event';
import { RouteMatcher } from './route-matcher';
import { TokenBucket } from './token-bucket';

export interface ApiServiceOptions {
  readonly template: LocalTemplate;
  /** The user pool behind the authorizer (A's UserPoolVerifier). */
  readonly userPool: Pick<UserPoolVerifier, 'issuer' | 'jwksUri' | 'userPoolId'>;
  readonly lambda: LambdaInvoker;
  /** `http://127.0.0.1:<port>`, for requestContext.domainName. */
  readonly origin: string;
  readonly log?: (line: string) => void;
  /** Clock for throttling, for tests. @default Date.now */
  readonly now?: () => number;
}

export interface ApiService extends LocalService {
  readonly model: ApiModel;
  /** `<origin>/<stageName>/` */
  readonly baseUrl: string;
}

interface PreparedMethod {
  readonly method: ApiMethod;
  readonly functionLogicalId?: string;
  readonly mockTemplate?: MappingTemplate;
  readonly bucket?: TokenBucket;
}

export function createApiService(options: ApiServiceOptions): ApiService | undefined {
  const { template } = options;
  const model = readApiModel(template);
  if (!model) return undefined;
  const poolArn = `arn:aws:cognito-idp:${template.region}:${template.accountId}:userpool/${options.userPool.userPoolId}`;
  const authorizer = new CognitoAuthorizer(options.userPool);
  const stageBucket = model.throttle && new TokenBucket(model.throttle, options.now);
  const permissions = lambdaPermissions(template);

  const prepared = new Map<string, PreparedMethod>();
  for (const method of model.methods) {
    if (method.authorizer && !method.authorizer.providerArns.includes(poolArn)) {
      throw new ApiModelError(
        `${method.authorizer.logicalId}: its user pool ${method.authorizer.providerArns.join(', ')} is not the local user pool ${poolArn}`,
      );
    }
    let functionLogicalId: string | undefined;
    let mockTemplate: MappingTemplate | undefined;
    if (method.integration.type === 'AWS_PROXY') {
      functionLogicalId = options.lambda.functionFor(method.integration.functionArn);
      if (!functionLogicalId)
        throw new ApiModelError(`${method.logicalId}: its integration names ${method.integration.functionArn}, which is no function of the template`);
    } else {
      const response = method.integration.responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '');
      if (response?.template) mockTemplate = parseMappingTemplate(response.template);
    }
    const limits = model.methodThrottles[`${method.httpMethod} ${method.resourcePath}`];
    prepared.set(`${method.httpMethod} ${method.resourcePath}`, {
      method,
      functionLogicalId,
      mockTemplate,
      bucket: limits && new TokenBucket(limits, options.now),
    });
  }
  const matcher = new RouteMatcher(new Set(model.methods.map((m) => m.resourcePath)));
  const domainName = `${model.restApiId}.execute-api.${template.region}.amazonaws.com`;

  return {
    name: 'api',
    model,
    baseUrl: `${options.origin}/${model.stageName}/`,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const rawHeaders = pairs(req.rawHeaders);
      const requestHeader = (name: string) => rawHeaders.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
      const fail = (error: GatewayError) => {
        const rendered = renderGatewayResponse(error, model.gatewayResponses, requestHeader);
        writeResponse(res, rendered.status, Object.entries(rendered.headers), Buffer.from(rendered.body));
      };
      try {
        const body = await readBody(req);
        const url = new URL(req.url ?? '/', 'http://local');
        const [, stage, ...rest] = url.pathname.split('/');
        if (stage !== model.stageName) return fail(GATEWAY_ERRORS.missingToken);
        const path = `/${rest.join('/')}`;
        const route = matcher.match(path);
        const method = String(req.method);
        const entry = route && (prepared.get(`${method} ${route.resourcePath}`) ?? (method === 'HEAD' ? undefined : prepared.get(`ANY ${route.resourcePath}`)));
        if (!route || !entry) return fail(GATEWAY_ERRORS.missingToken);
        if ((entry.bucket && !entry.bucket.take()) || (!entry.bucket && stageBucket && !stageBucket.take())) return fail(GATEWAY_ERRORS.throttled);

        let claims: Record<string, string> | undefined;
        if (entry.method.authorizationType === 'COGNITO_USER_POOLS') {
          const caller = await authorizer.authorize(requestHeader(entry.method.authorizer!.header), entry.method.scopes);
          if (!caller) return fail(GATEWAY_ERRORS.unauthorized);
          claims = caller.claims;
        }

        if (entry.method.integration.type === 'MOCK') {
          const integration = entry.method.integration;
          const response = integration.responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '') ?? {
            statusCode: '200',
            headers: {},
          };
          const headers: Array<[string, string]> = Object.entries(response.headers).flatMap(([name, value]): Array<[string, string]> => {
            const literal = /^'(.*)'$/s.exec(value);
            return literal ? [[name, literal[1]]] : [];
          });
          const rendered = entry.mockTemplate?.render({ headers: Object.fromEntries(rawHeaders) });
          for (const [name, value] of Object.entries(rendered?.headerOverrides ?? {})) {
            const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
            if (at >= 0) headers.splice(at, 1);
            headers.push([name, value]);
          }
          const status = rendered?.statusOverride ?? Number(response.statusCode);
          return writeResponse(res, status, [['Content-Type', 'application/json'], ...headers], Buffer.from(status === 204 ? '' : (rendered?.body ?? '')));
        }

        const functionArn = (entry.method.integration as { functionArn: string }).functionArn;
        const sourceArn = `arn:aws:execute-api:${template.region}:${template.accountId}:${model.restApiId}/${model.stageName}/${method}${path}`;
        if (
          !permissions.some((p) => (p.functionName === functionArn || functionArn.endsWith(`:function:${p.functionName}`)) && arnLike(p.sourceArn, sourceArn))
        ) {
          options.log?.(`api: no AWS::Lambda::Permission lets API Gateway invoke ${entry.functionLogicalId} for ${sourceArn}`);
          return fail(GATEWAY_ERRORS.permissionFailure);
        }
        const event = proxyEvent(
          {
            method,
            path,
            resourcePath: route.resourcePath,
            pathParameters: route.pathParameters,
            headers: rawHeaders,
            query: url.searchParams,
            body,
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            claims,
          },
          { accountId: template.accountId, restApiId: model.restApiId, stageName: model.stageName, domainName, resourceId: entry.method.logicalId },
        );
        let result: unknown;
        try {
          result = await options.lambda.invoke(entry.functionLogicalId!, event);
        } catch (error) {
          options.log?.(`api: ${entry.functionLogicalId} failed: ${(error as Error).message}`);
          return fail(GATEWAY_ERRORS.integrationFailure);
        }
        const mapped = proxyResponse(result);
        if (!mapped) {
          options.log?.(`api: ${entry.functionLogicalId} returned no valid proxy response`);
          return fail(GATEWAY_ERRORS.integrationFailure);
        }
        writeResponse(res, mapped.status, mapped.headers, mapped.body);
      } catch (error) {
        options.log?.(`api: ${(error as Error).message}`);
        fail(GATEWAY_ERRORS.integrationFailure);
      }
    },
  };
}

interface LambdaPermission {
  readonly functionName: string;
  readonly sourceArn: string;
}

function lambdaPermissions(template: LocalTemplate): LambdaPermission[] {
  return template
    .resourcesOfType('AWS::Lambda::Permission')
    .map((id) => template.resolve<Record<string, unknown>>(template.resources[id].Properties ?? {}))
    .filter((p) => p.Principal === 'apigateway.amazonaws.com' && (p.Action === 'lambda:InvokeFunction' || p.Action === 'lambda:*'))
    .map((p) => ({ functionName: String(p.FunctionName), sourceArn: String(p.SourceArn ?? '*') }));
}

/** IAM's ArnLike: `*` any run of characters, `?` one. */
function arnLike(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return regex.test(arn);
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeResponse(res: ServerResponse, status: number, headers: Array<[string, string]>, body: Buffer): void {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = [...grouped.keys()].find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? values[0] : values);
  res.setHeader('Content-Length', body.length);
  res.writeHead(status);
  res.end(body);
}
