/**
 * Lambda hands a function its role's credentials in environment variables, so
 * the handlers' SDK clients read them from there and nowhere else.
 *
 * The bundler also substitutes this module for `@aws-sdk/credential-provider-node`
 * (see lib/handlers/handler-bundling.ts): the default chain (SSO, INI files, process,
 * web identity, …) can never run inside Lambda, and leaving it out of the
 * bundle cuts module init by about a fifth (README, Performance).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const lambdaCredentials = fromEnv();

/** Stands in for the default provider chain in the bundle. */
export const defaultProvider = fromEnv;
