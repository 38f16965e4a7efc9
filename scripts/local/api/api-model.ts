/**
 * The REST API as the template defines it (AWS::ApiGateway::RestApi,
 * Resource, Method, Stage, Authorizer, GatewayResponse): resource paths,
 * methods with their authorization and integration, stage throttling and
 * gateway responses. Features the local run cannot honour stop it here, at
 * start, with the construct and the setting named.
 */
import type { LocalTemplate } from '../contracts';
import type { UntypedJson } from '../../common/untyped-json';

export interface ApiAuthorizer {
  readonly logicalId: string;
  readonly type: 'COGNITO_USER_POOLS';
  /** The header the token comes from (IdentitySource `method.request.header.<Name>`). */
  readonly header: string;
  readonly providerArns: readonly string[];
}

export interface IntegrationResponse {
  readonly statusCode: string;
  readonly selectionPattern?: string;
  readonly headers: Record<string, string>;
  readonly template?: string;
}

export type ApiIntegration =
  | { readonly type: 'AWS_PROXY'; readonly functionArn: string }
  | { readonly type: 'MOCK'; readonly requestTemplate?: string; readonly responses: readonly IntegrationResponse[] };

export interface ApiMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  /** `/files/{name}` */
  readonly resourcePath: string;
  readonly authorizationType: 'NONE' | 'COGNITO_USER_POOLS';
  readonly authorizer?: ApiAuthorizer;
  readonly scopes: readonly string[];
  readonly integration: ApiIntegration;
}

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface GatewayResponseDef {
  readonly statusCode?: string;
  readonly headers: Record<string, string>;
  readonly templates: Record<string, string>;
}

export interface ApiModel {
  readonly restApiLogicalId: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly methods: readonly ApiMethod[];
  /** Stage-wide throttling (MethodSettings `/*` `*`), if any; per-method overrides by `<METHOD> <path>`. */
  readonly throttle?: Throttle;
  readonly methodThrottles: Readonly<Record<string, Throttle>>;
  readonly gatewayResponses: Readonly<Record<string, GatewayResponseDef>>;
}

export class ApiModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiModelError';
  }
}

type Props = Record<string, UntypedJson>;

export function readApiModel(template: LocalTemplate): ApiModel | undefined {
  const apis = template.resourcesOfType('AWS::ApiGateway::RestApi');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) throw new ApiModelError(`the template has ${apis.length} REST APIs (${apis.join(', ')}); the local run serves one`);
  const apiId = apis[0];
  const props = (id: string): Props => template.resources[id].Properties ?? {};
  const belongs = (id: string) => (props(id).RestApiId as Props | undefined)?.Ref === apiId;
  const restApi = props(apiId);
  for (const unsupported of ['Body', 'BodyS3Location', 'Policy', 'BinaryMediaTypes', 'MinimumCompressionSize', 'ApiKeySourceType']) {
    if (restApi[unsupported] !== undefined) throw new ApiModelError(`${apiId}: ${unsupported} is not emulated by the local run`);
  }
  const restApiId = template.resolve<string>({ Ref: apiId });
  const rootId = template.resolve<string>({ 'Fn::GetAtt': [apiId, 'RootResourceId'] });

  // Resource ID → full path, following ParentId up to the root.
  const resources = template.resourcesOfType('AWS::ApiGateway::Resource').filter(belongs);
  const pathOf = new Map<string, string>([[rootId, '/']]);
  const resolvePath = (resourceRef: unknown, seen: string[] = []): string => {
    const id = template.resolve<string>(resourceRef);
    const known = pathOf.get(id);
    if (known !== undefined) return known;
    const logicalId = resources.find((r) => template.resolve<string>({ Ref: r }) === id);
    if (!logicalId || seen.includes(logicalId)) throw new ApiModelError(`API resource ${id} has no path to the root resource`);
    const parent = resolvePath(props(logicalId).ParentId, [...seen, logicalId]);
    const path = `${parent === '/' ? '' : parent}/${props(logicalId).PathPart}`;
    pathOf.set(id, path);
    return path;
  };

  const authorizers = new Map<string, ApiAuthorizer>();
  for (const id of template.resourcesOfType('AWS::ApiGateway::Authorizer').filter(belongs)) {
    const p = props(id);
    if (p.Type !== 'COGNITO_USER_POOLS') throw new ApiModelError(`${id}: authorizer type ${p.Type} is not emulated by the local run (only COGNITO_USER_POOLS)`);
    const header = /^method\.request\.header\.([A-Za-z0-9-]+)$/.exec(String(p.IdentitySource ?? ''))?.[1];
    if (!header) throw new ApiModelError(`${id}: IdentitySource ${JSON.stringify(p.IdentitySource)} is not emulated (only method.request.header.<Name>)`);
    if (p.IdentityValidationExpression !== undefined) throw new ApiModelError(`${id}: IdentityValidationExpression is not emulated by the local run`);
    authorizers.set(template.resolve<string>({ Ref: id }), {
      logicalId: id,
      type: 'COGNITO_USER_POOLS',
      header,
      providerArns: template.resolve<string[]>(p.ProviderARNs),
    });
  }

  const methods: ApiMethod[] = template
    .resourcesOfType('AWS::ApiGateway::Method')
    .filter(belongs)
    .map((id) => readMethod(template, id, props(id), resolvePath, authorizers));

  const stages = template.resourcesOfType('AWS::ApiGateway::Stage').filter(belongs);
  if (stages.length !== 1) throw new ApiModelError(`${apiId}: expected one AWS::ApiGateway::Stage, found ${stages.length}`);
  const stage = template.resolve<Props>(props(stages[0]));
  let throttle: Throttle | undefined;
  const methodThrottles: Record<string, Throttle> = {};
  for (const setting of (stage.MethodSettings ?? []) as Props[]) {
    if (setting.ThrottlingRateLimit === undefined && setting.ThrottlingBurstLimit === undefined) continue;
    const limits = { rateLimit: Number(setting.ThrottlingRateLimit ?? Infinity), burstLimit: Number(setting.ThrottlingBurstLimit ?? Infinity) };
    if (setting.ResourcePath === '/*' && setting.HttpMethod === '*') throttle = limits;
    // "/~1files~1{name}" → "/files/{name}" (JSON-pointer escaping of the resource path).
    else methodThrottles[`${setting.HttpMethod} ${String(setting.ResourcePath).replace(/~1/g, '/')}`] = limits;
  }

  const gatewayResponses: Record<string, GatewayResponseDef> = {};
  for (const id of template.resourcesOfType('AWS::ApiGateway::GatewayResponse').filter(belongs)) {
    const p = template.resolve<Props>(props(id));
    gatewayResponses[p.ResponseType] = { statusCode: p.StatusCode, headers: p.ResponseParameters ?? {}, templates: p.ResponseTemplates ?? {} };
  }
  return { restApiLogicalId: apiId, restApiId, stageName: String(stage.StageName), methods, throttle, methodThrottles, gatewayResponses };
}

function readMethod(
  template: LocalTemplate,
  id: string,
  raw: Props,
  resolvePath: (ref: unknown) => string,
  authorizers: Map<string, ApiAuthorizer>,
): ApiMethod {
  const resourcePath = resolvePath(raw.ResourceId);
  const where = `${id} (${raw.HttpMethod} ${resourcePath})`;
  if (raw.ApiKeyRequired === true) throw new ApiModelError(`${where}: API keys are not emulated by the local run`);
  if (raw.RequestParameters && Object.values(raw.RequestParameters).some((required) => required === true)) {
    throw new ApiModelError(`${where}: required request parameters are not validated by the local run`);
  }
  if (raw.RequestModels !== undefined) throw new ApiModelError(`${where}: request models are not validated by the local run`);
  const authorizationType = raw.AuthorizationType ?? 'NONE';
  if (authorizationType !== 'NONE' && authorizationType !== 'COGNITO_USER_POOLS') {
    throw new ApiModelError(`${where}: AuthorizationType ${authorizationType} is not emulated by the local run`);
  }
  let authorizer: ApiAuthorizer | undefined;
  if (authorizationType === 'COGNITO_USER_POOLS') {
    authorizer = authorizers.get(template.resolve<string>(raw.AuthorizerId));
    if (!authorizer) throw new ApiModelError(`${where}: its AuthorizerId names no authorizer of this API`);
  }
  const integration = template.resolve<Props>(raw.Integration ?? {});
  let model: ApiIntegration;
  if (integration.Type === 'AWS_PROXY') {
    const functionArn = /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(String(integration.Uri))?.[1];
    if (!functionArn) throw new ApiModelError(`${where}: AWS_PROXY integration URI ${integration.Uri} is not a Lambda function`);
    model = { type: 'AWS_PROXY', functionArn };
  } else if (integration.Type === 'MOCK') {
    model = {
      type: 'MOCK',
      requestTemplate: integration.RequestTemplates?.['application/json'],
      responses: ((integration.IntegrationResponses ?? []) as Props[]).map((r) => ({
        statusCode: String(r.StatusCode),
        selectionPattern: r.SelectionPattern,
        headers: Object.fromEntries(
          Object.entries((r.ResponseParameters ?? {}) as Record<string, string>).map(([name, value]) => [
            name.replace(/^method\.response\.header\./, ''),
            value,
          ]),
        ),
        template: r.ResponseTemplates?.['application/json'],
      })),
    };
  } else {
    throw new ApiModelError(`${where}: integration type ${integration.Type} is not emulated by the local run (only AWS_PROXY to Lambda and MOCK)`);
  }
  return {
    logicalId: id,
    httpMethod: String(raw.HttpMethod),
    resourcePath,
    authorizationType,
    authorizer,
    scopes: (raw.AuthorizationScopes ?? []) as string[],
    integration: model,
  };
}
