/**
 * The web app's weight and first screen: raw and gzipped size of the bundled
 * JavaScript, and the time from navigation start until the sign-in form is
 * visible in headless Chromium (Debian's /usr/bin/chromium or CHROME_PATH),
 * served from loopback with the hosting CSP. No AWS call happens before the
 * sign-in form shows, so nothing needs faking.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { main as writeClientConfig } from '../client-config/cli';
import type { AmplifyOutputs } from '../client-config/amplify-outputs';
import { buildWeb } from '../../web/build';
import { contentSecurityPolicy, extraConnectOrigins } from '../../web/csp';
import { startStaticServer } from '../../web/static-server';
import { summarize, type Summary } from './stats';

export interface WebFigures {
  /** app.js as served. */
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
  readonly cssBytes: number;
  /** Navigation start to the sign-in form visible, cold cache each run. */
  readonly signInVisibleMs: Summary;
}

export interface MeasureWebOptions {
  readonly runs: number;
  /** A cdk-outputs file and stage for amplify_outputs.json (default: the test fixture's prod stage). */
  readonly outputsFile?: string;
  readonly stage?: string;
  readonly chromePath?: string;
}

export async function measureWeb(outDir: string, options: MeasureWebOptions): Promise<WebFigures> {
  const repo = path.resolve(__dirname, '..', '..');
  await buildWeb(outDir);
  const js = fs.readFileSync(path.join(outDir, 'app.js'));
  const outFile = path.join(outDir, 'amplify_outputs.json');
  const errors: string[] = [];
  const code = await writeClientConfig(
    ['--stage', options.stage ?? 'prod', '--outputs', options.outputsFile ?? path.join(repo, 'test', 'scripts', 'fixtures', 'cdk-outputs.json'), '--out', outFile],
    { out: () => undefined, err: (line) => errors.push(line) },
  );
  if (code !== 0) throw new Error(errors.join('\n'));
  const outputs = JSON.parse(fs.readFileSync(outFile, 'utf8')) as AmplifyOutputs;

  const server = await startStaticServer({ root: outDir, csp: contentSecurityPolicy(extraConnectOrigins(outputs)) });
  const browser = await puppeteer.launch({
    executablePath: options.chromePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => document.querySelector('[data-testid="sign-in-form"]')?.checkVisibility() === true, { polling: 'mutation', timeout: 30_000 });
      samples.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    jsBytes: js.length,
    jsGzipBytes: gzipSync(js, { level: 9 }).length,
    cssBytes: fs.statSync(path.join(outDir, 'app.css')).size,
    signInVisibleMs: summarize(samples),
  };
}
