import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT, synthStage } from '../support/synth';

/** `https://<distribution domain>` as the template writes it. */
const SITE_URL = (distributionId: string, suffix = '') => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, ...(suffix ? [suffix] : [])]],
});

function only(template: Template, type: string): [string, any] {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0] as [string, any];
}

/** Ref / GetAtt / Sub / DependsOn edges between resources, to prove CloudFormation can order them. */
function findCycle(template: Template): string[] | undefined {
  const resources = template.toJSON().Resources as Record<string, any>;
  const edges = (value: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => edges(v, found));
    else if (value && typeof value === 'object') {
      const o = value as Record<string, any>;
      if (typeof o.Ref === 'string' && resources[o.Ref]) found.add(o.Ref);
      if (o['Fn::GetAtt']) found.add(Array.isArray(o['Fn::GetAtt']) ? o['Fn::GetAtt'][0] : String(o['Fn::GetAtt']).split('.')[0]);
      Object.values(o).forEach((v) => edges(v, found));
    }
    return found;
  };
  const graph = Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [id, new Set([...edges(r.Properties, new Set()), ...[].concat(r.DependsOn ?? [])])]),
  );
  const state: Record<string, 'open' | 'done'> = {};
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state[id] === 'done') return undefined;
    if (state[id] === 'open') return [...trail.slice(trail.indexOf(id)), id];
    state[id] = 'open';
    for (const next of graph[id] ?? []) {
      const cycle = visit(next, [...trail, id]);
      if (cycle) return cycle;
    }
    state[id] = 'done';
    return undefined;
  };
  for (const id of Object.keys(graph)) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('hosted web app (dev stage, webApp.enabled)', () => {
  const { template, stack } = synthStage({ stage: 'dev' });
  const [distributionId, distribution] = only(template, 'AWS::CloudFront::Distribution');
  const config = distribution.Properties.DistributionConfig;

  test('GIVEN the stage WHEN synthesized THEN CloudFront reads the bucket through origin access control, not a public bucket', () => {
    const [oacId] = only(template, 'AWS::CloudFront::OriginAccessControl');
    expect(config.Origins).toEqual([
      expect.objectContaining({ OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } }),
    ]);
    const siteBucket = config.Origins[0].DomainName['Fn::GetAtt'][0];
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: Match.anyValue(),
      }),
    });
    const bucket = template.toJSON().Resources[siteBucket];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    // The bucket policy lets only CloudFront (this distribution) read, besides denying plain HTTP.
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter((p: any) => p.Properties.Bucket.Ref === siteBucket);
    const statements = (policies[0] as any).Properties.PolicyDocument.Statement;
    const allows = statements.filter((s: any) => s.Effect === 'Allow' && s.Action === 's3:GetObject');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    expect(statements.some((s: any) => s.Principal === '*' && s.Effect === 'Allow')).toBe(false);
  });

  test('GIVEN the stage WHEN synthesized THEN viewers are redirected to HTTPS and / serves index.html', () => {
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultRootObject).toBe('index.html');
  });

  test('GIVEN a path S3 does not hold (e.g. /auth/callback) WHEN requested THEN CloudFront answers index.html with 200', () => {
    expect(config.CustomErrorResponses).toEqual([
      expect.objectContaining({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      expect.objectContaining({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
    ]);
  });

  test('GIVEN the stage WHEN synthesized THEN every response carries CSP, HSTS, no framing, nosniff and a strict referrer policy', () => {
    const [policyId, policy] = only(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true, Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    expect(renderedCsp()).toContain("frame-ancestors 'none'");
  });

  /** The CSP with each reference written `<Ref>`, as CloudFormation will join it. */
  const renderedCsp = (): string => {
    const [, policy] = only(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const [, parts] = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'];
    return parts.map((part: any) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join('');
  };

  test("GIVEN the stage WHEN synthesized THEN connect-src lists exactly the Cognito endpoints of its Region, its bucket's host and its API, and no wildcard", () => {
    const [apiId] = only(template, 'AWS::ApiGateway::RestApi');
    const bucketId = stack.getLogicalId(stack.storage.bucket.node.defaultChild as any);
    const connectSrc = /connect-src ([^;]*);/.exec(renderedCsp())![1].split(' ');
    expect(connectSrc).toEqual([
      "'self'",
      'https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>',
      'https://cognito-identity.<AWS::Region>.<AWS::URLSuffix>',
      // The virtual-hosted host Amplify Storage calls for a bucket name without dots.
      `https://<${bucketId}>.s3.<AWS::Region>.<AWS::URLSuffix>`,
      `https://<${apiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`,
    ]);
    expect(renderedCsp()).not.toContain('*');
  });

  /** An AwsCustomResource's create call, with each reference written `<Ref>` or `<Id.Attr>`. */
  const createCall = (resource: any): any => {
    const [, parts] = resource.Properties.Create['Fn::Join'];
    const text = parts.map((part: any) => (typeof part === 'string' ? part : part.Ref ? `<${part.Ref}>` : `<${part['Fn::GetAtt'].join('.')}>`)).join('');
    return JSON.parse(text);
  };
  const calls = () => Object.entries(template.findResources('Custom::AWS')).map(([id, r]) => ({ id, ...createCall(r) }));

  test('GIVEN the stage WHEN synthesized THEN CloudFront logs through standard logging v2 into a bucket of the stack, without query strings or cookies', () => {
    // Legacy logging always records the query string (cs-uri-query), OAuth codes on /auth/callback included.
    expect(config.Logging).toBeUndefined();
    const byAction = Object.fromEntries(calls().map((c) => [c.action, c]));
    const fields: string[] = byAction.CreateDelivery.parameters.recordFields;
    expect(fields).toEqual(expect.arrayContaining(['date', 'time', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status', 'x-edge-request-id']));
    expect(fields).not.toContain('cs-uri-query');
    expect(fields).not.toContain('cs(Cookie)');
    // CloudFront takes its log delivery only through CloudWatch Logs in us-east-1.
    for (const action of ['PutDeliverySource', 'PutDeliveryDestination', 'CreateDelivery'])
      expect(byAction[action]).toMatchObject({ service: 'CloudWatchLogs', region: 'us-east-1' });
    expect(byAction.PutDeliverySource.parameters).toMatchObject({
      logType: 'ACCESS_LOGS',
      resourceArn: `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`,
    });
    expect(byAction.PutDeliveryDestination.parameters.deliveryDestinationConfiguration.destinationResourceArn).toMatch(
      /^<WebAppAccessLogBucket[0-9A-F]{8}\.Arn>\/cloudfront$/,
    );
    // The log bucket admits the delivery service for this account's deliveries only.
    const logBucketPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p: any) =>
      /^WebAppAccessLogBucket/.test(p.Properties.Bucket.Ref),
    ) as any;
    const write = logBucketPolicy.Properties.PolicyDocument.Statement.find((st: any) => st.Sid === 'CloudFrontLogDeliveryWrite');
    expect(write).toMatchObject({ Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject' });
    expect(write.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
  });

  test("GIVEN the stage WHEN synthesized THEN the site URL joins the web client's callback and logout URLs", () => {
    const [, client] = only(template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.CallbackURLs).toEqual(['http://localhost:5173/auth/callback', SITE_URL(distributionId, '/auth/callback')]);
    expect(client.Properties.LogoutURLs).toEqual(['http://localhost:5173/', SITE_URL(distributionId, '/')]);
  });

  test('GIVEN the stage WHEN synthesized THEN the site origin joins the CORS origins of the files bucket and the API', () => {
    // The site's CSP names the bucket, so the bucket's CORS rule is written after the site exists.
    const bucketId = stack.getLogicalId(stack.storage.bucket.node.defaultChild as any);
    expect(template.toJSON().Resources[bucketId].Properties.CorsConfiguration).toBeUndefined();
    const cors = calls().find((c) => c.id.startsWith('IdentityStorageCorsRules'))!;
    expect(cors).toMatchObject({ service: 'S3', action: 'PutBucketCors', parameters: { Bucket: `<${bucketId}>` } });
    expect(cors.parameters.CORSConfiguration.CORSRules).toEqual([
      expect.objectContaining({
        AllowedOrigins: ['http://localhost:5173', `https://<${distributionId}.DomainName>`],
        AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
      }),
    ]);
    const handlers = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) => f.Properties.Environment?.Variables?.ALLOWED_ORIGINS);
    expect(handlers.length).toBeGreaterThan(0);
    for (const handler of handlers as any[]) {
      expect(handler.Properties.Environment.Variables.ALLOWED_ORIGINS).toEqual({
        'Fn::Join': ['', ['http://localhost:5173,https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
      });
    }
    // The preflight (OPTIONS) answers the site's origin too.
    const options = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }));
    expect(JSON.stringify(options[0])).toContain(distributionId);
  });

  test('GIVEN the stage WHEN synthesized THEN WebAppUrl is an output with its SSM parameter', () => {
    template.hasOutput('WebAppUrl', { Value: SITE_URL(distributionId), Export: { Name: 'CognitoAccess-dev-WebAppUrl' } });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/cognito-access/dev/web-app-url', Value: SITE_URL(distributionId) });
  });

  test("GIVEN the stage WHEN synthesized THEN the deployment writes amplify_outputs.json from the stack's own resources", () => {
    const [, deployment] = only(template, 'Custom::CDKBucketDeployment');
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    const [clientId] = only(template, 'AWS::Cognito::UserPoolClient');
    const [apiId] = only(template, 'AWS::ApiGateway::RestApi');
    expect(markers).toContain(`{"Ref":"${clientId}"}`);
    expect(markers).toContain(`{"Ref":"${apiId}"}`);
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
  });

  test('GIVEN the distribution, client, API and handlers that name each other WHEN CloudFormation orders them THEN there is no cycle', () => {
    expect(findCycle(template)).toBeUndefined();
  });
});

describe('hosted web app with a sign-in domain', () => {
  test("GIVEN dev with a Cognito domain prefix WHEN synthesized THEN connect-src also names the sign-in domain's host (the code exchange)", () => {
    const dev = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8'));
    const { template } = synthStage({ stage: 'dev', rulePacks: false, config: { ...dev, domain: { prefix: 'example-dev-signin' } } });
    const [, policy] = only(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const [, parts] = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'];
    const csp = parts.map((part: any) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join('');
    expect(csp).toContain(' https://example-dev-signin.auth.<AWS::Region>.amazoncognito.com;');
    expect(csp).not.toContain('*');
  });
});

describe('web app switched off (prod stage)', () => {
  test('GIVEN webApp.enabled false WHEN synthesized THEN there is no distribution and no WebAppUrl', () => {
    const { template } = synthStage({ stage: 'prod' });
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(template.findOutputs('WebAppUrl')).toEqual({});
  });
});

describe('web bundle asset', () => {
  test('GIVEN bundling on WHEN the dev stage synthesizes THEN the site asset holds index.html and app.js built at synth', () => {
    const { assembly } = synthStage({ stage: 'dev', bundling: true, rulePacks: false });
    const assets = fs.readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const site = assets.map((name) => path.join(assembly.directory, name)).find((dir) => fs.existsSync(path.join(dir, 'index.html')));
    expect(site).toBeDefined();
    expect(fs.readdirSync(site!)).toEqual(expect.arrayContaining(['index.html', 'app.js', 'app.css', 'favicon.svg']));
    expect(fs.existsSync(path.join(site!, 'amplify_outputs.json'))).toBe(false);
    expect(fs.readFileSync(path.join(site!, 'index.html'), 'utf8')).toContain('data-testid="sign-in-form"');
  }, 120_000);
});
