/**
 * `npm run demo`: the whole chain on built-in demo pages. Builds the
 * extension, serves the fictional X pages under x.com from this machine,
 * captures a post through the extension's own popup, exports the bundle into
 * demo-output/, and checks it the way an officer would.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { launchWithExtension } from '../tests/harness/browser';
import { REPO_ROOT, startFixtureServer } from '../tests/harness/fixture-server';
import {
  captureFromPopup,
  exportFromPopup,
  openPopup,
  sha256sumCheck,
  unzipTo,
  waitForCapturesSettled,
  X_STATUS_URL,
} from '../tests/harness/flows';
import { bundleVerdict } from '../src/bundle/verdict';
import { verifyBundle } from '../src/bundle/verify';

const OUTPUT = join(REPO_ROOT, 'demo-output');

function step(text: string): void {
  console.log(`• ${text}`);
}

async function main(): Promise<void> {
  step('Building the extension (npm run build)…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

  const server = await startFixtureServer();
  const headless = !process.env.DISPLAY || process.env.HEADLESS === '1';
  const browser = await launchWithExtension({ server, headless });
  try {
    step(`Opening the demo post ${X_STATUS_URL} (served from this machine, fictional people)…`);
    const page = await browser.openPage(X_STATUS_URL);

    step('Clicking the Witness Box toolbar button, then "Capture post" in its popup…');
    const popup = await openPopup(browser, page);
    const captured = await captureFromPopup(popup);
    console.log(`  popup says: ${captured.text}`);
    if (captured.kind !== 'success') throw new Error('The capture failed.');
    await waitForCapturesSettled(popup, 1);

    step('Clicking "Export bundle"…');
    const { zipPath } = await exportFromPopup(browser, popup);

    await rm(OUTPUT, { recursive: true, force: true });
    await mkdir(OUTPUT, { recursive: true });
    const bundlePath = join(OUTPUT, basename(zipPath));
    await cp(zipPath, bundlePath);
    const unpacked = join(OUTPUT, basename(zipPath, '.zip'));
    const files = await unzipTo(bundlePath, unpacked);

    step("Verifying the bundle with Witness Box's own checker…");
    const verdict = await verifyBundle(new Uint8Array(await readFile(bundlePath)));
    if (!verdict.ok)
      throw new Error(`Verification failed:\n${verdict.problems.map((p) => `  ${p.message}`).join('\n')}`);
    // The demo's browser is gone, and with it the key list: the headline names the key by fingerprint only.
    const { headline, details } = bundleVerdict(verdict, []);
    console.log([headline, ...details].map((line) => `  ${line}`).join('\n'));

    step('Verifying with coreutils: sha256sum -c SHA256SUMS…');
    const check = await sha256sumCheck(unpacked);
    console.log(check.output.trimEnd().replace(/^/gm, '  '));
    if (!check.ok) throw new Error('sha256sum -c reported a mismatch.');

    step(
      'Checking the signature with openssl: openssl dgst -sha256 -verify public-key.pem -signature manifest.sig manifest.json…',
    );
    console.log(
      `  ${execFileSync('openssl', ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json'], { cwd: unpacked, encoding: 'utf8' }).trim()}`,
    );

    console.log(`\nBundle: ${relative(process.cwd(), bundlePath)} (${files.length} files)`);
    console.log(`Unzipped: ${relative(process.cwd(), unpacked)}/ — open report.html in a browser to read it.`);
    console.log('Every hash matched.');
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
