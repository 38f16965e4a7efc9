/**
 * The seams between the local run's parts (docs/local.md). Pure types: each
 * service is an HTTP request handler built from the synthesized template, and
 * the orchestrator (cli.ts) gives each the few shared services it needs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One CloudFormation resource of the synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The synthesized stage, with intrinsics resolvable to local physical values. */
export interface LocalTemplate {
  readonly stackName: string;
  readonly region: string;
  /** The fake account the local run uses in ARNs. */
  readonly accountId: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  /** The cloud assembly directory (assets live there). */
  readonly assemblyDir: string;
  /** Logical IDs of every resource of `type`, in template order. */
  resourcesOfType(type: string): string[];
  /**
   * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and
   * pseudo parameters to local values, recursively. Throws on anything it
   * cannot resolve (never guesses).
   */
  resolve<T = unknown>(value: unknown): T;
  /** Sets the local physical ID (and optional attributes) of a resource, as its service creates it. */
  setPhysical(logicalId: string, physicalId: string, attributes?: Record<string, string>): void;
}

/** Temporary credentials, as STS / GetCredentialsForIdentity return them. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Who a set of credentials belongs to, for SigV4 verification and policy evaluation. */
export interface CredentialPrincipal {
  /** Logical ID of the AWS::IAM::Role in the template. */
  readonly roleLogicalId: string;
  /** Role ARN (local account). */
  readonly roleArn: string;
  /** The identity pool identity, for `${cognito-identity.amazonaws.com:sub}` and friends. */
  readonly identityId?: string;
  /** Extra request context keys for policy evaluation (e.g. cognito-identity.amazonaws.com:aud). */
  readonly contextKeys?: Readonly<Record<string, string | string[]>>;
}

/** Issues and looks up local credentials (the STS of the local run). */
export interface CredentialStore {
  issue(principal: CredentialPrincipal, lifetimeSeconds?: number): LocalCredentials;
  lookup(accessKeyId: string): { readonly credentials: LocalCredentials; readonly principal: CredentialPrincipal } | undefined;
}

/** Runs the real bundled Lambda handlers of the template. */
export interface LambdaInvoker {
  /** Invokes the AWS::Lambda::Function `logicalId` with `event`; resolves with its result, rejects with its error. */
  invoke(logicalId: string, event: unknown): Promise<unknown>;
  /** The logical ID of the function whose ARN (or Fn::GetAtt Arn) is `arnOrRef`. */
  functionFor(arnOrRef: unknown): string | undefined;
}

/** A message the user pool would send by email or SMS. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  /** The one-time code in the message, when there is one. */
  readonly code?: string;
  readonly sentAt: string;
}

export interface Mailbox {
  send(message: Omit<MailMessage, 'sentAt'>): void;
  list(to?: string): MailMessage[];
}

/** An HTTP service of the local run (one port each). */
export interface LocalService {
  readonly name: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  close?(): Promise<void>;
}

/** What the user pool exposes to the identity pool and the API authorizer. */
export interface UserPoolVerifier {
  readonly userPoolId: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, as in real tokens. */
  readonly issuer: string;
  /** Where the JWKS is served locally. */
  readonly jwksUri: string;
  /** Verifies an ID or access token (signature, expiry, revocation); returns its claims or throws. */
  verify(token: string, tokenUse: 'id' | 'access'): Promise<Record<string, unknown>>;
}
