import { runSmokeTest } from '../../../scripts/smoke/run-smoke-test';
import { fakeStage, TARGET } from './fake-stage';

const WEB_APP_URL = 'https://d111111abcdef8.cloudfront.net';
const PAGE = '<!doctype html><form data-testid="sign-in-form" id="sign-in-form"></form>';
/** The headers the hosting's response headers policy sets. */
const HOSTED_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html',
  'Content-Security-Policy': "default-src 'self'; connect-src 'self' https://*.amazonaws.com; frame-ancestors 'none'",
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

function stageServing(status: number, headers: Record<string, string>, body = PAGE) {
  const stage = fakeStage();
  stage.http.overrides.set(`GET ${WEB_APP_URL}`, () => new Response(body, { status, headers }));
  return stage;
}

const webLine = (lines: string[]) => lines.find((l) => l.includes(' 12/12 ')) ?? '';

describe('smoke test: hosted web app', () => {
  test('GIVEN a stage with WebAppUrl serving the page with every header WHEN the smoke test runs THEN a twelfth step PASSes', async () => {
    const stage = stageServing(200, HOSTED_HEADERS);

    const report = await runSmokeTest({ ...TARGET, webAppUrl: WEB_APP_URL }, stage.deps);

    expect(report.steps.map((s) => s.status)).toEqual(Array(12).fill('PASS'));
    expect(stage.http.calls.some((c) => c.url === WEB_APP_URL && c.method === 'GET')).toBe(true);
    expect(stage.lines.at(-1)).toBe('Smoke test PASSED: 12/12 steps, cleanup complete');
  });

  test('GIVEN a stage without WebAppUrl WHEN the smoke test runs THEN it runs the eleven steps and fetches no page', async () => {
    const stage = stageServing(200, HOSTED_HEADERS);

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.steps).toHaveLength(11);
    expect(stage.http.calls.some((c) => c.url === WEB_APP_URL)).toBe(false);
  });

  test.each([
    ['Content-Security-Policy', /missing content-security-policy/],
    ['Strict-Transport-Security', /missing strict-transport-security/],
    ['X-Frame-Options', /missing x-frame-options/],
    ['X-Content-Type-Options', /missing x-content-type-options/],
    ['Referrer-Policy', /missing referrer-policy/],
  ])('GIVEN the page is served without %s WHEN the smoke test runs THEN step 12 FAILs naming it', async (header, message) => {
    const { [header]: _dropped, ...rest } = HOSTED_HEADERS;
    const stage = stageServing(200, rest);

    const report = await runSmokeTest({ ...TARGET, webAppUrl: WEB_APP_URL }, stage.deps);

    expect(report.passed).toBe(false);
    expect(webLine(stage.lines)).toMatch(/^FAIL/);
    expect(webLine(stage.lines)).toMatch(message);
  });

  test('GIVEN a CSP that allows framing WHEN the smoke test runs THEN step 12 FAILs', async () => {
    const stage = stageServing(200, { ...HOSTED_HEADERS, 'Content-Security-Policy': "default-src 'self'" });

    await runSmokeTest({ ...TARGET, webAppUrl: WEB_APP_URL }, stage.deps);

    expect(webLine(stage.lines)).toMatch(/FAIL .*content-security-policy .* is not/);
  });

  test('GIVEN the site answers 403 without the sign-in form WHEN the smoke test runs THEN step 12 FAILs with both problems', async () => {
    const stage = stageServing(403, HOSTED_HEADERS, '<Error>AccessDenied</Error>');

    const report = await runSmokeTest({ ...TARGET, webAppUrl: WEB_APP_URL }, stage.deps);

    expect(report.passed).toBe(false);
    expect(webLine(stage.lines)).toMatch(/expected 200, got 403; the page has no sign-in form/);
    expect(stage.lines.at(-1)).toBe('Smoke test FAILED: step 12 failed');
  });
});
