/**
 * The local web service: the built site with the hosting's headers and a CSP
 * naming the local endpoints, the local amplify_outputs.json, the mailbox as
 * JSON (oldest first, per address), and nothing outside the site's folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalMailbox } from '../../scripts/local/mailbox';
import { createWebService } from '../../scripts/local/web/web-service';
import { serve, type Served } from './support/http-service';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-web-'));
fs.writeFileSync(path.join(root, 'index.html'), '<p data-testid="sign-in-form"></p>');
fs.writeFileSync(path.join(os.tmpdir(), 'outside-the-site.txt'), 'secret');
let clock = 0;
const mailbox = new LocalMailbox(
  () => undefined,
  () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)),
);
let served: Served;

beforeAll(async () => {
  served = await serve(
    createWebService({ root, amplifyOutputs: { custom: { local: { running_locally: true } } }, mailbox, connectOrigins: ['http://127.0.0.1:5174'] }),
  );
});

afterAll(async () => {
  await served?.close();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'outside-the-site.txt'), { force: true });
});

describe('local web service', () => {
  it('GIVEN / and /auth/callback THEN the app with the hosting headers and a CSP naming the local endpoints', async () => {
    for (const page of ['/', '/auth/callback']) {
      const response = await fetch(`${served.endpoint}${page}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('sign-in-form');
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:5174");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('GIVEN /amplify_outputs.json THEN the local outputs', async () => {
    expect(await (await fetch(`${served.endpoint}/amplify_outputs.json`)).json()).toEqual({ custom: { local: { running_locally: true } } });
  });

  it("GIVEN mail to two people THEN /_local/mailbox?to= lists each one's messages, oldest first, case-insensitively", async () => {
    mailbox.send({ to: 'Ana@example.org', subject: 'Your code', body: 'Code 111111', code: '111111' });
    mailbox.send({ to: 'bo@example.org', subject: 'Your code', body: 'Code 222222', code: '222222' });
    mailbox.send({ to: 'ana@example.org', subject: 'Your code', body: 'Code 333333', code: '333333' });
    const mail = (await (await fetch(`${served.endpoint}/_local/mailbox?to=ana%40example.org`)).json()) as Array<Record<string, string>>;
    expect(mail.map((m) => m.code)).toEqual(['111111', '333333']);
    expect(mail[0]).toEqual({ to: 'Ana@example.org', subject: 'Your code', body: 'Code 111111', code: '111111', sentAt: '2026-01-01T00:00:00.000Z' });
  });

  it('GIVEN a path outside the site or a write method THEN 404 / 405', async () => {
    expect((await fetch(`${served.endpoint}/%2e%2e/outside-the-site.txt`)).status).toBe(404);
    expect((await fetch(`${served.endpoint}/`, { method: 'POST' })).status).toBe(405);
  });
});
