import { DeleteIdentitiesCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { AdminCreateUserCommand, AdminDeleteUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';
import { runSmokeTest } from '../../../scripts/smoke/run-smoke-test';
import { EMAIL, fakeJwt, fakeStage, IDENTITY_ID, PASSWORD, RUN_ID, TARGET, COGNITO_USERNAME } from './fake-stage';

const statuses = (lines: string[]) => lines.filter((l) => /^(PASS|FAIL|SKIP) /.test(l)).map((l) => l.slice(0, 4));
const lineFor = (lines: string[], label: string) => lines.find((l) => l.includes(` ${label} `)) ?? '';

describe('runSmokeTest', () => {
  test('GIVEN a healthy stage WHEN the smoke test runs THEN all eleven steps and the cleanup PASS', async () => {
    const stage = fakeStage();

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(Array(11).fill('PASS'));
    expect(report.cleanup.map((s) => s.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(statuses(stage.lines)).toEqual(Array(14).fill('PASS'));
    expect(stage.lines.at(-1)).toBe('Smoke test PASSED: 11/11 steps, cleanup complete');
  });

  test('GIVEN a healthy stage WHEN the smoke test runs THEN it signs in with SRP, uses the identity ID as prefix and leaves nothing behind', async () => {
    const stage = fakeStage();

    await runSmokeTest(TARGET, stage.deps);

    expect(stage.idp).toHaveReceivedCommandWith(AdminSetUserPasswordCommand, { Username: COGNITO_USERNAME, Password: PASSWORD, Permanent: true });
    // Signs in with Cognito's username for the user, and the email left unverified (see steps.ts).
    expect(stage.idp).toHaveReceivedCommandWith(AdminCreateUserCommand, { Username: EMAIL, UserAttributes: [{ Name: 'email', Value: EMAIL }] });
    expect(stage.signIn).toHaveBeenCalledWith({
      userPoolId: TARGET.userPoolId,
      clientId: TARGET.userPoolClientId,
      username: COGNITO_USERNAME,
      password: PASSWORD,
      email: EMAIL,
    });
    // Every version and delete marker is removed, not just hidden behind a new marker.
    expect(stage.admin).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `${IDENTITY_ID}/smoke-${RUN_ID}.csv`, VersionId: 'v2' });
    expect(stage.admin).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `${IDENTITY_ID}/smoke-${RUN_ID}.csv`, VersionId: 'v1' });
    expect(stage.user).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${IDENTITY_ID}/smoke-${RUN_ID}.csv` });
    expect(stage.s3For).toHaveBeenCalledWith(expect.objectContaining({ accessKeyId: 'ASIAUSER', secretAccessKey: 'secret', sessionToken: 'token' }));
    expect(stage.objects.size).toBe(0);
    expect(stage.identity).toHaveReceivedCommandWith(DeleteIdentitiesCommand, { IdentityIdsToDelete: [IDENTITY_ID] });
    expect(stage.idp).toHaveReceivedCommandWith(AdminDeleteUserCommand, { UserPoolId: TARGET.userPoolId, Username: COGNITO_USERNAME });
  });

  test('GIVEN any run WHEN it prints THEN the password never appears in the output', async () => {
    const stage = fakeStage();

    await runSmokeTest(TARGET, stage.deps);

    expect(stage.lines.join('\n')).not.toContain(PASSWORD);
  });

  test('GIVEN GET /me answers 500 WHEN the smoke test runs THEN step 7 FAILs, the others still run, and the run fails', async () => {
    const stage = fakeStage();
    stage.http.overrides.set('GET /me', (call) =>
      call.authorization ? new Response(JSON.stringify({ error: { code: 'InternalError', message: 'boom' } }), { status: 500 }) : undefined,
    );

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(report.steps.map((s) => s.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'PASS', 'PASS', 'PASS', 'PASS']);
    expect(lineFor(stage.lines, '7/11')).toMatch(/^FAIL .*with token: expected 200, got 500 InternalError: boom/);
    expect(stage.lines.at(-1)).toBe('Smoke test FAILED: step 7 failed');
  });

  test('GIVEN GET /me answers 200 without a token WHEN the smoke test runs THEN step 7 FAILs', async () => {
    const stage = fakeStage();
    stage.http.overrides.set('GET /me', () => new Response(JSON.stringify({ sub: 'x' }), { status: 200 }));

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(lineFor(stage.lines, '7/11')).toMatch(/without token: expected 401, got 200/);
  });

  test('GIVEN /me returns a different sub WHEN the smoke test runs THEN step 7 FAILs naming both', async () => {
    const stage = fakeStage();
    stage.http.overrides.set('GET /me', (call) => (call.authorization ? new Response(JSON.stringify({ sub: 'someone-else' }), { status: 200 }) : undefined));

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '7/11')).toMatch(/FAIL .*sub "someone-else" is not the ID token's/);
  });

  test('GIVEN the policy wrongly allows writes under not-permissions/ WHEN the smoke test runs THEN step 5 FAILs and cleanup leaves that key to be removed by hand', async () => {
    const stage = fakeStage();
    stage.user.on(PutObjectCommand).callsFake(async (input) => {
      if (String(input.Key).startsWith('eu-west-1:') && !String(input.Key).startsWith(`${IDENTITY_ID}/`))
        throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
      stage.objects.set(input.Key, String(input.Body));
      return {};
    });

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(report.steps[4].status).toBe('FAIL');
    expect(lineFor(stage.lines, '5/11')).toMatch(/^FAIL .*not-permissions\/smoke-run1\.csv was ALLOWED$/);
    // The deployer's credentials delete nothing outside the throwaway identity's prefix.
    expect(stage.admin).not.toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `not-permissions/smoke-${RUN_ID}.csv` });
    expect(report.cleanup[0]).toMatchObject({
      status: 'FAIL',
      detail: expect.stringContaining(`outside ${IDENTITY_ID}/, not deleted (remove by hand): not-permissions/smoke-${RUN_ID}.csv`),
    });
  });

  test("GIVEN the identity step fails and upload-url names another user's key WHEN the smoke test runs THEN no step posts to it and cleanup deletes nothing", async () => {
    const stage = fakeStage();
    const victim = 'eu-west-1:00000000-0000-0000-0000-000000000000/report.csv';
    stage.objects.set(victim, "someone else's file");
    stage.identity.on(GetIdCommand).rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
    stage.http.overrides.set(
      'POST /files/upload-url',
      () => new Response(JSON.stringify({ url: 'https://x/', fields: {}, key: victim, expiresIn: 60 }), { status: 200 }),
    );

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.steps[7].status).toBe('SKIP');
    expect(report.cleanup[0].status).toBe('SKIP');
    expect(stage.admin).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(stage.objects.get(victim)).toBe("someone else's file");
  });

  test('GIVEN the policy wrongly allows writes under another identity WHEN the smoke test runs THEN step 5 FAILs and cleanup does not touch that prefix', async () => {
    const stage = fakeStage();
    stage.user.on(PutObjectCommand).callsFake(async (input) => {
      if (String(input.Key).startsWith('not-permissions/'))
        throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
      stage.objects.set(input.Key, String(input.Body));
      return {};
    });

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '5/11')).toMatch(/^FAIL .*eu-west-1:[0-9a-f-]{36}\/smoke-run1\.csv was ALLOWED$/);
    expect(report.cleanup[0].detail).toMatch(/remove by hand\): eu-west-1:[0-9a-f-]{36}\/smoke-run1\.csv$/);
  });

  test('GIVEN the forbidden put fails for another reason than AccessDenied WHEN the smoke test runs THEN step 5 FAILs (a denial must be proven)', async () => {
    const stage = fakeStage();
    stage.user.on(PutObjectCommand).callsFake(async (input) => {
      if (!String(input.Key).startsWith(`${IDENTITY_ID}/`))
        throw new S3ServiceException({ name: 'NoSuchBucket', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'no bucket' });
      return {};
    });

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '5/11')).toMatch(/FAIL .*expected AccessDenied, got NoSuchBucket: no bucket/);
  });

  test('GIVEN the SRP sign-in fails WHEN the smoke test runs THEN later steps are SKIPped and the user is still deleted', async () => {
    const stage = fakeStage();
    stage.signIn.mockRejectedValue(Object.assign(new Error('Incorrect username or password.'), { code: 'NotAuthorizedException' }));

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(report.steps.map((s) => s.status)).toEqual(['PASS', 'FAIL', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP']);
    expect(lineFor(stage.lines, '2/11')).toMatch(/^FAIL .*NotAuthorizedException: Incorrect username or password\./);
    expect(stage.idp).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: COGNITO_USERNAME });
    expect(report.cleanup.map((c) => c.status)).toEqual(['SKIP', 'SKIP', 'PASS']);
    expect(stage.lines.at(-1)).toBe('Smoke test FAILED: step 2 failed, steps 3, 4, 5, 6, 7, 8, 9, 10, 11 skipped');
  });

  test('GIVEN setting the password fails after the user was created WHEN the smoke test runs THEN the half-made user is deleted', async () => {
    const stage = fakeStage();
    stage.idp.on(AdminSetUserPasswordCommand).rejects(Object.assign(new Error('Password does not conform to policy'), { name: 'InvalidPasswordException' }));

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.steps[0].status).toBe('FAIL');
    expect(stage.idp).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: COGNITO_USERNAME });
  });

  test('GIVEN the presigned POST is rejected after an object was put WHEN the smoke test runs THEN objects, identity and user are all cleaned up', async () => {
    const stage = fakeStage();
    stage.http.overrides.set(
      'POST https://smoke-bucket.s3.eu-west-1.amazonaws.com/',
      () => new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 }),
    );

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.steps.map((s) => s.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'SKIP', 'PASS', 'PASS']);
    expect(lineFor(stage.lines, '8/11')).toMatch(/presigned POST: expected 2xx, got 403/);
    expect(stage.admin).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `${IDENTITY_ID}/smoke-${RUN_ID}.csv` });
    expect(stage.objects.size).toBe(0);
    expect(stage.identity).toHaveReceivedCommandWith(DeleteIdentitiesCommand, { IdentityIdsToDelete: [IDENTITY_ID] });
    expect(stage.idp).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: COGNITO_USERNAME });
  });

  test("GIVEN upload-url hands out a key outside the caller's identity WHEN the smoke test runs THEN step 8 FAILs", async () => {
    const stage = fakeStage();
    stage.http.overrides.set(
      'POST /files/upload-url',
      () => new Response(JSON.stringify({ url: 'https://x/', fields: {}, key: 'eu-west-1:other/smoke.csv', expiresIn: 60 }), { status: 200 }),
    );

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '8/11')).toMatch(/FAIL .*key eu-west-1:other\/smoke\.csv is not under the caller's identity/);
  });

  test('GIVEN deleting the user fails WHEN every step passed THEN the run still fails and says what to remove by hand', async () => {
    const stage = fakeStage();
    stage.idp.on(AdminDeleteUserCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(report.cleanup[2]).toMatchObject({ status: 'FAIL', detail: 'AccessDeniedException: not allowed' });
    expect(stage.lines.at(-1)).toBe('Smoke test FAILED: all steps passed; cleanup failed: Delete the throwaway user (remove by hand)');
  });

  test('GIVEN a sign-in that returns an access token in place of the ID token WHEN the smoke test runs THEN step 2 FAILs', async () => {
    const stage = fakeStage();
    stage.signIn.mockResolvedValue({ idToken: fakeJwt({ sub: 'x', token_use: 'access' }), accessToken: 'a', refreshToken: 'r' });

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '2/11')).toMatch(/FAIL .*no usable ID token/);
  });

  test('GIVEN a healthy stage WHEN the upload-check steps run THEN the direct CSV is accepted and the non-CSV is rejected and gone', async () => {
    const stage = fakeStage();

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '10/11')).toMatch(/^PASS .*smoke-run1\.csv accepted: 1 row, 2 columns/);
    expect(lineFor(stage.lines, '11/11')).toMatch(/^PASS .*smoke-run1-not-csv\.csv rejected \(not_csv\) and gone/);
    expect(stage.objects.has(`${IDENTITY_ID}/smoke-${RUN_ID}-not-csv.csv`)).toBe(false);
  });

  test('GIVEN a stage whose checker never answers WHEN the smoke test runs THEN step 10 FAILs saying the file stayed pending', async () => {
    const stage = fakeStage();
    stage.http.overrides.set(`GET /files/smoke-${RUN_ID}.csv/status`, () => new Response(JSON.stringify({ name: 'x', status: 'pending' }), { status: 200 }));

    const report = await runSmokeTest(TARGET, stage.deps);

    expect(report.passed).toBe(false);
    expect(lineFor(stage.lines, '10/11')).toMatch(/^FAIL .*still pending after 9 s: is the upload check running/);
  });

  test('GIVEN a stage that marks a non-CSV rejected but keeps it WHEN the smoke test runs THEN step 11 FAILs naming the key', async () => {
    const stage = fakeStage();
    const name = `smoke-${RUN_ID}-not-csv.csv`;
    stage.http.overrides.set(`GET /files/${name}/status`, () => new Response(JSON.stringify({ name, status: 'rejected', reason: 'not_csv' }), { status: 200 }));

    await runSmokeTest(TARGET, stage.deps);

    expect(lineFor(stage.lines, '11/11')).toMatch(new RegExp(`^FAIL .*${IDENTITY_ID}/${name} was rejected but is still in the bucket`));
  });
});
