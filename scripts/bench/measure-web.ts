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
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { buildWeb } from '../../web/build';
import { contentSecurityPolicy, extraConnectOrigins } from '../../web/csp';
import { startStaticServer } from '../../web/static-server';
import { ratioFromSamples, summarize, type Ratio, type Summary } from './stats';

/** The reference page: the same form as plain HTML, no script, from the same server. */
const REFERENCE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>reference</title></head><body>' +
  '<form data-testid="sign-in-form"><label>Email <input type="email"></label><button>Sign in</button></form></body></html>';

export interface WebFigures {
  /** app.js as served. */
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
  readonly cssBytes: number;
  /** Navigation start to the sign-in form visible, cold cache each run. */
  readonly signInVisibleMs: Summary;
  /** The same ÷ the reference page's form visible, per interleaved pair. */
  readonly signInVisibleRatio: Ratio;
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
    [
      '--stage',
      options.stage ?? 'prod',
      '--outputs',
      options.outputsFile ?? path.join(repo, 'test', 'scripts', 'fixtures', 'cdk-outputs.json'),
      '--out',
      outFile,
    ],
    { out: () => undefined, err: (line) => errors.push(line) },
  );
  if (code !== 0) throw new Error(errors.join('\n'));
  const outputs = JSON.parse(fs.readFileSync(outFile, 'utf8')) as AmplifyOutputs;
  fs.writeFileSync(path.join(outDir, 'reference.html'), REFERENCE_PAGE);

  const server = await startStaticServer({ root: outDir, csp: contentSecurityPolicy(extraConnectOrigins(outputs)) });
  const browser = await puppeteer.launch({
    executablePath: options.chromePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const samples: number[] = [];
  const reference: number[] = [];
  const formVisibleMs = async (pathname: string): Promise<number> => {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}${pathname}`);
      await page.waitForFunction(() => document.querySelector('[data-testid="sign-in-form"]')?.checkVisibility() === true, {
        polling: 'mutation',
        timeout: 30_000,
      });
      return await page.evaluate(() => performance.now());
    } finally {
      await context.close();
    }
  };
  try {
    for (let i = 0; i < options.runs; i++) {
      reference.push(await formVisibleMs('/reference.html'));
      samples.push(await formVisibleMs('/'));
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
    signInVisibleRatio: ratioFromSamples(samples, reference),
  };
}
