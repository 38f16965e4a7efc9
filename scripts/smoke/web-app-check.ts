/**
 * The smoke test's check of the hosted web app: the page loads over HTTPS and
 * every security header the hosting promises is on the response.
 */
import type { Fetch } from './api-client';
import { StepFailure, type Step } from './step-runner';

/** Each header the hosting sets, and what its value must say. */
const REQUIRED_HEADERS: ReadonlyArray<{ name: string; check: (value: string) => boolean; expected: string }> = [
  {
    name: 'content-security-policy',
    check: (v) => /default-src 'self'/.test(v) && /frame-ancestors 'none'/.test(v),
    expected: "default-src 'self' and frame-ancestors 'none'",
  },
  { name: 'strict-transport-security', check: (v) => /max-age=\d+/.test(v) && Number(/max-age=(\d+)/.exec(v)![1]) > 0, expected: 'a max-age' },
  { name: 'x-frame-options', check: (v) => v.toUpperCase() === 'DENY', expected: 'DENY' },
  { name: 'x-content-type-options', check: (v) => v.toLowerCase() === 'nosniff', expected: 'nosniff' },
  {
    name: 'referrer-policy',
    check: (v) => ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(v.toLowerCase()),
    expected: 'a strict referrer policy',
  },
];

/** Problems with a response of the site's page; empty when it is as the hosting promises. */
export async function webPageProblems(response: Response): Promise<string[]> {
  const problems: string[] = [];
  if (response.status !== 200) problems.push(`expected 200, got ${response.status}`);
  const body = await response.text();
  if (!body.includes('data-testid="sign-in-form"')) problems.push('the page has no sign-in form (data-testid="sign-in-form")');
  for (const header of REQUIRED_HEADERS) {
    const value = response.headers.get(header.name);
    if (value === null) problems.push(`missing ${header.name}`);
    else if (!header.check(value)) problems.push(`${header.name} "${value}" is not ${header.expected}`);
  }
  return problems;
}

/** The step: only for stages that host the web app (a `WebAppUrl` output). */
export function webAppStep<C extends { readonly target: { readonly webAppUrl?: string }; readonly deps: { readonly fetch: Fetch } }>(): Step<C> {
  return {
    title: 'Load the hosted web app and check its security headers',
    needs: [],
    run: async (ctx) => {
      const url = ctx.target.webAppUrl!;
      const problems = await webPageProblems(await ctx.deps.fetch(url, { redirect: 'follow' }));
      if (problems.length > 0) throw new StepFailure(`${url}: ${problems.join('; ')}`);
      return `${url}: 200, sign-in form, CSP, HSTS, X-Frame-Options, nosniff, referrer policy`;
    },
  };
}
