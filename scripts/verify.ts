/**
 * npm run verify -- bundle.zip [--trust FINGERPRINT ...]
 *
 * The manager's Verify on the command line, for a staffer or officer at a
 * computer without the extension: the same checks (src/bundle/verify.ts) and
 * the same verdict (src/bundle/verdict.ts). Exit status 0 only for "signed by
 * a trusted key, unaltered".
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { bundleVerdict } from '../src/bundle/verdict';
import { verifyBundle } from '../src/bundle/verify';
import { formatFingerprint, parseFingerprint, type TrustedKey } from '../src/evidence/fingerprint';

const USAGE = `Usage: npm run verify -- <bundle.zip> [--trust FINGERPRINT ...]

Checks a Witness Box bundle without unpacking it: every file against
SHA256SUMS, the manifest and the hashes taken at capture, the custody log,
the signature, and who signed it.

  --trust FINGERPRINT  a key you trust: its fingerprint as Witness Box shows it
                       (sixteen groups of four) or as plain hex, as printed by
                       openssl pkey -pubin -in public-key.pem -outform DER | sha256sum
                       (repeat for several keys)
  --help               show this text

Exit status: 0 only when the bundle is signed by a key given with --trust and
nothing in it was altered; 1 otherwise; 2 for a bad command line.`;

const USAGE_ERROR = 2;

function fail(message: string): never {
  process.stderr.write(`verify: ${message}\n\n${USAGE}\n`);
  process.exit(USAGE_ERROR);
}

function parseArgs(argv: string[]): { file: string; keys: TrustedKey[] } {
  const files: string[] = [];
  const keys: TrustedKey[] = [];
  const trust = (value: string | undefined) => {
    const fingerprint = parseFingerprint(value ?? fail('--trust needs a fingerprint'));
    if (!fingerprint) fail(`--trust ${JSON.stringify(value)} is not a fingerprint (64 hex characters)`);
    keys.push({ fingerprint, name: 'the key you gave with --trust', addedAt: new Date().toISOString() });
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === '--trust') trust(argv[++i]);
    else if (arg.startsWith('--trust=')) trust(arg.slice('--trust='.length));
    else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else files.push(arg);
  }
  const [file, ...extra] = files;
  if (!file) fail('name the bundle to check');
  if (extra.length) fail('check one bundle at a time');
  return { file, keys };
}

async function main(): Promise<number> {
  const { file, keys } = parseArgs(process.argv.slice(2));
  let zip: Blob;
  try {
    // A Blob backed by the file: the zip is read piece by piece, never whole into memory.
    zip = await openAsBlob(file);
  } catch (error) {
    process.stderr.write(`verify: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const result = await verifyBundle(zip);
  const verdict = bundleVerdict(result, keys);
  const lines = [`${basename(file)}: ${verdict.headline}.`, ...verdict.details.map((d) => `  ${d}`)];
  if (result.problems.length) lines.push('', 'Problems:', ...result.problems.map((p) => `  - ${p.message}`));
  if (verdict.kind === 'unconfirmed' && verdict.fingerprint) {
    lines.push(
      '',
      `If the sender confirms fingerprint ${formatFingerprint(verdict.fingerprint)}, run again with --trust ${verdict.fingerprint}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return verdict.kind === 'trusted' ? 0 : 1;
}

process.exitCode = await main();
