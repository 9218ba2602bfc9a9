/**
 * npm run extract -- <saved page.html> --url <original URL>
 *
 * Prints what the site adapters read from a saved page, as the extension
 * would see it on the live page. Scripts are not run and nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractPage } from '../src/sites';

const USAGE = `Usage: npm run extract -- <saved page .html> --url <original page URL>

Loads the saved page (no scripts, no network), runs the site adapter for the
URL's host and prints the posts and profile it finds as JSON.

  --url <URL>   the address the page was saved from; it picks the adapter and
                resolves the page's relative links
  --help        show this text`;

/** Exit code for a bad invocation, distinct from a crash (1). */
const USAGE_ERROR = 2;

interface Args {
  file: string;
  url: URL;
}

function fail(message: string): never {
  process.stderr.write(`extract: ${message}\n\n${USAGE}\n`);
  process.exit(USAGE_ERROR);
}

function parseArgs(argv: string[]): Args {
  const files: string[] = [];
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--url') url = argv[++i] ?? fail('--url needs a value');
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else files.push(arg);
  }
  const [file, ...extra] = files;
  if (!file) fail('no saved page given');
  if (extra.length > 0) fail(`one page at a time (also got ${extra.join(', ')})`);
  if (!url) fail('--url is required: the address the page was saved from');
  try {
    return { file, url: new URL(url) };
  } catch {
    fail(`not an absolute URL: ${url}`);
  }
}

function main(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { file, url } = parseArgs(argv);
  let html: string;
  try {
    html = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A silent console: saved pages carry CSS jsdom cannot parse, and its complaints are not the output.
  const dom = new JSDOM(html, { url: url.href, virtualConsole: new VirtualConsole() });
  process.stdout.write(`${JSON.stringify(extractPage(dom.window.document, url), null, 2)}\n`);
}

main(process.argv.slice(2));
