/** `webApp`: the web app in web/, hosted by the stack, and the HostedWebApp props it becomes. */
import { z } from 'zod';
import type { HostedWebAppProps } from '../../web-app/hosted-web-app';
import { WEB_APP_DEFAULTS } from '../../web-app/web-app-defaults';
import { removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';

export const webApp = z
  .strictObject({
    enabled: z
      .boolean()
      .default(WEB_APP_DEFAULTS.enabled)
      .describe(
        "Host the web app in web/ in the stack: a private S3 bucket behind CloudFront (origin access control, HTTPS only, CSP, HSTS, no framing, nosniff, strict referrer policy, access logs). Its https://<distribution domain> URL is added to the callback URLs (/auth/callback), logout URLs (/) and CORS origins, and published as WebAppUrl. The CSP's connect-src names exactly what the page calls, no wildcard: the Cognito user pool and identity endpoints of the Region, the bucket, the API and the sign-in domain, if any; because it names the bucket, a custom resource writes the bucket's CORS rule once the distribution exists. CloudFront access logs (standard logging v2, delivered through CloudWatch Logs in us-east-1) leave out the query string and cookies, so /auth/callback's code and state are never logged.",
      ),
  })
  .prefault({})
  .describe('The web app in web/, hosted by the stack.');

/** The hosted web app; the stack adds the origins its page calls once they exist. */
export function webAppProps(config: StageConfig): HostedWebAppProps {
  return {
    removalPolicy: removalPolicyOf(config),
    // Handler logs of the stage, the site's deployment handler included, share one retention.
    deploymentLogRetention: config.api.handlerLogRetentionDays,
  };
}
