import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HostedWebApp } from '../../lib/web-app/hosted-web-app';
import { contextApp } from '../support/synth';

function bareWebApp(props: ConstructorParameters<typeof HostedWebApp>[2] = {}) {
  const stack = new Stack(contextApp(), 'Bare');
  const webApp = new HostedWebApp(stack, 'WebApp', props);
  return { stack, webApp };
}

const cspOf = (stack: Stack): string => {
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::ResponseHeadersPolicy')) as any[];
  return JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
};

describe('HostedWebApp in a bare stack', () => {
  test('GIVEN no removal policy WHEN synthesized THEN the site and log buckets are retained and not emptied', () => {
    const { stack } = bareWebApp();
    const template = Template.fromStack(stack);
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) expect(bucket.DeletionPolicy).toBe('Retain');
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('GIVEN RemovalPolicy.DESTROY WHEN synthesized THEN both buckets are deleted and emptied first', () => {
    const { stack } = bareWebApp({ removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) expect(bucket.DeletionPolicy).toBe('Delete');
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  test('GIVEN connect origins from props and addConnectOrigin WHEN synthesized THEN the CSP allows exactly those, each once, and no wildcard', () => {
    const { stack, webApp } = bareWebApp({ connectOrigins: ['https://auth.example.org'] });
    webApp.addConnectOrigin('https://api.example.org');
    webApp.addConnectOrigin('https://auth.example.org');

    expect(cspOf(stack)).toContain("connect-src 'self' https://auth.example.org https://api.example.org;");
    expect(cspOf(stack)).not.toContain('*');
  });

  test('GIVEN no connect origins WHEN synthesized THEN the page may call only its own origin', () => {
    const { stack } = bareWebApp();
    expect(cspOf(stack)).toContain("connect-src 'self';");
  });

  test.each(['https://*.example.org', 'https://a.example.org; script-src *', 'https://a.example.org https://b.example.org'])(
    'GIVEN the connect origin %s WHEN added THEN it is refused (it would widen the CSP)',
    (origin) => {
      const { webApp } = bareWebApp();
      expect(() => webApp.addConnectOrigin(origin)).toThrow(/one exact origin/);
    },
  );
});
