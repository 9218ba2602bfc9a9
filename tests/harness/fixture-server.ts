/**
 * Local HTTPS server that impersonates the social sites (and their image CDNs) for
 * end-to-end tests, the demo and the benchmark.
 *
 * Chromium is pointed at it with --host-resolver-rules (see browser.ts), so pages keep
 * their real origins (https://x.com/...) and even tabs the extension opens itself
 * load from here. Every site lives in `tests/fixtures/sites/<platform>/` with a
 * `routes.json`:
 *
 *   { "host": ["x.com", "twitter.com"],
 *     "routes": [{ "pattern": "^/home$", "file": "timeline.html" }, ...] }
 *
 * The first route whose regex matches the request's pathname (query string excluded)
 * wins; `file` is relative to that folder and may use `$1`.. for capture groups
 * (kept inside the folder). Optional `status` and `contentType` per route let a
 * fixture imitate e.g. a deleted post. Anything else gets a 404 page.
 *
 * An optional `"imageHosts": ["pbs.twimg.com", ...]` names the CDNs the site's
 * images come from: every path on them answers with the generated fixture PNG,
 * with CORS headers like the real CDNs (except `nocors.example`, which never
 * sends them). They are served and resolved in addition to `IMAGE_HOSTS`.
 *
 * A request's host is looked up as sent, then without a `www.`/`mobile.`
 * prefix, so a site may list either `www.reddit.com` or `x.com`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { makeSelfSignedCert } from './certs';

/** Image CDN that answers with CORS headers, like X's real one. */
export const CORS_IMAGE_HOST = 'pbs.twimg.com';
/** Image host without CORS headers: drawing its images taints a canvas. */
export const NO_CORS_IMAGE_HOST = 'nocors.example';
export const IMAGE_HOSTS: readonly string[] = [CORS_IMAGE_HOST, NO_CORS_IMAGE_HOST];

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SITES_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'sites');

export interface FixtureRequest {
  /** Host header, lower-cased, without port (`www.` kept as sent). */
  host: string;
  /** Path as requested, query string included. */
  path: string;
}

export interface FixtureServer {
  port: number;
  /** Every host served (site hosts and image hosts); subdomains are served too. */
  hosts: string[];
  /** Every request received, in order. Clear it with `requests.length = 0`. */
  requests: FixtureRequest[];
  close(): Promise<void>;
}

export interface StartFixtureServerOptions {
  sitesDir?: string;
}

interface Route {
  pattern: RegExp;
  file: string;
  status: number;
  contentType?: string;
}

interface Site {
  name: string;
  dir: string;
  hosts: string[];
  /** Image CDN hosts the site's pages load pictures from (routes.json `imageHosts`). */
  imageHosts: string[];
  routes: Route[];
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

// ---------------------------------------------------------------------------
// Tiny PNG encoder: deterministic images without adding an image library.

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGB pixels (`width*height*3` bytes) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: truecolour RGB
  // Bytes 10-12 stay 0: deflate, adaptive filtering, no interlace.
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Each scanline starts with filter type 0 (None), then the row's pixels.
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const FIXTURE_IMAGE_WIDTH = 400;
export const FIXTURE_IMAGE_HEIGHT = 300;
const pngCache = new Map<string, Buffer>();

/**
 * The image served for an image-host path: diagonal stripes in two colours and a
 * stripe width derived from the path, so different URLs give visibly different,
 * but always identical-per-URL, pictures (tests can compare bytes or pixels).
 */
export function fixturePng(seed: string): Buffer {
  const cached = pngCache.get(seed);
  if (cached) return cached;
  const digest = createHash('sha256').update(seed).digest();
  const colourA = [digest[0] ?? 0, digest[1] ?? 0, digest[2] ?? 0];
  const colourB = colourA.map((c) => 255 - c);
  const band = 8 + ((digest[3] ?? 0) % 32);
  const width = FIXTURE_IMAGE_WIDTH;
  const height = FIXTURE_IMAGE_HEIGHT;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = Math.floor((x + y) / band) % 2 === 0 ? colourA : colourB;
      rgb.set(colour, (y * width + x) * 3);
    }
  }
  const png = encodePng(width, height, rgb);
  pngCache.set(seed, png);
  return png;
}

// ---------------------------------------------------------------------------
// Site definitions

function parseRoutesJson(text: string, where: string): { hosts: string[]; imageHosts: string[]; routes: Route[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: invalid JSON: ${String(error)}`);
  }
  if (typeof data !== 'object' || data === null) throw new Error(`${where}: expected an object`);
  const { host, routes, imageHosts } = data as { host?: unknown; routes?: unknown; imageHosts?: unknown };
  const hosts = (Array.isArray(host) ? (host as unknown[]) : [host]).filter((h): h is string => typeof h === 'string');
  if (hosts.length === 0) throw new Error(`${where}: "host" must be a string or an array of strings`);
  if (!Array.isArray(routes)) throw new Error(`${where}: "routes" must be an array`);
  if (
    imageHosts !== undefined &&
    (!Array.isArray(imageHosts) || !imageHosts.every((h) => typeof h === 'string' && h !== ''))
  ) {
    throw new Error(`${where}: "imageHosts" must be an array of host names`);
  }
  return {
    hosts: hosts.map((h) => h.toLowerCase()),
    imageHosts: ((imageHosts ?? []) as string[]).map((h) => h.toLowerCase()),
    routes: routes.map((r, i) => parseRoute(r, `${where} routes[${i}]`)),
  };
}

function parseRoute(value: unknown, where: string): Route {
  const r = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof r.pattern !== 'string' || typeof r.file !== 'string') {
    throw new Error(`${where}: needs string "pattern" and "file"`);
  }
  return {
    pattern: new RegExp(r.pattern),
    file: r.file,
    status: typeof r.status === 'number' ? r.status : 200,
    contentType: typeof r.contentType === 'string' ? r.contentType : undefined,
  };
}

/** Reads every `<sitesDir>/<platform>/routes.json`; folders without one are skipped (work in progress). */
export async function loadSites(sitesDir: string): Promise<Site[]> {
  const entries = await readdir(sitesDir, { withFileTypes: true }).catch(() => []);
  const sites: Site[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(sitesDir, entry.name);
    const routesPath = join(dir, 'routes.json');
    const text = await readFile(routesPath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    sites.push({ name: entry.name, dir, ...parseRoutesJson(text, routesPath) });
  }
  return sites;
}

function siteByHost(sites: readonly Site[]): Map<string, Site> {
  const byHost = new Map<string, Site>();
  for (const site of sites) {
    for (const host of site.hosts) {
      const other = byHost.get(host);
      if (other) throw new Error(`Host ${host} is claimed by both ${other.name} and ${site.name}`);
      byHost.set(host, site);
    }
  }
  return byHost;
}

/**
 * Every image host: the built-in `IMAGE_HOSTS` and each site's `imageHosts`,
 * once each. A host cannot be both a site and an image CDN.
 */
export function imageHostsOf(sites: readonly Site[]): string[] {
  const hosts = new Set<string>(IMAGE_HOSTS);
  for (const site of sites) for (const host of site.imageHosts) hosts.add(host);
  for (const site of sites) {
    const clash = site.hosts.find((host) => hosts.has(host));
    if (clash) throw new Error(`Host ${clash} is both a site (${site.name}) and an image host`);
  }
  return [...hosts];
}

/** `WWW.X.com:443` → `www.x.com`. */
export function hostWithoutPort(hostHeader: string | undefined): string {
  return (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
}

/** `www.x.com` → `x.com`: X redirects www./mobile. to the bare host, so fixtures need only one. */
export function normaliseHost(hostHeader: string | undefined): string {
  return hostWithoutPort(hostHeader).replace(/^(www|mobile)\./, '');
}

// ---------------------------------------------------------------------------
// Request handling

const BASE_HEADERS: Readonly<Record<string, string>> = {
  // Every load must hit the server, so `requests` is truthful and fixture edits show up.
  'Cache-Control': 'no-store',
};

function textReply(status: number, message: string): Reply {
  const body = Buffer.from(
    `<!doctype html><meta charset="utf-8"><title>${status}</title><h1>${status}</h1><p>${escapeHtml(message)}</p>`,
  );
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function imageReply(host: string, pathname: string, method: string): Reply {
  // CDN hosts answer preflights with ACAO like the real CDNs; nocors.example stands for a random host that does not.
  const cors: Record<string, string> = host !== NO_CORS_IMAGE_HOST ? { 'Access-Control-Allow-Origin': '*' } : {};
  if (method === 'OPTIONS') {
    return { status: 204, headers: { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD' }, body: Buffer.alloc(0) };
  }
  return { status: 200, headers: { ...cors, 'Content-Type': 'image/png' }, body: fixturePng(pathname) };
}

async function siteReply(site: Site, pathname: string): Promise<Reply> {
  for (const route of site.routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const file = route.file.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '');
    const full = resolve(site.dir, file);
    // `$1` comes from the URL, so keep the result inside the site folder.
    if (!full.startsWith(site.dir + sep)) {
      return textReply(403, `route file escapes ${site.name}: ${file}`);
    }
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile())
      return textReply(500, `fixture file missing: ${site.name}/${file} (route ${route.pattern.source})`);
    const body = await readFile(full);
    return { status: route.status, headers: { 'Content-Type': route.contentType ?? contentTypeFor(full) }, body };
  }
  return textReply(404, `no fixture route for ${pathname} in ${site.name}`);
}

/** The host as sent if it is known, else without its `www.`/`mobile.` prefix. */
function knownHost(hostHeader: string | undefined, known: (host: string) => boolean): string {
  const exact = hostWithoutPort(hostHeader);
  return known(exact) ? exact : normaliseHost(hostHeader);
}

async function replyFor(
  req: IncomingMessage,
  sites: Map<string, Site>,
  imageHosts: ReadonlySet<string>,
): Promise<Reply> {
  const host = knownHost(req.headers.host, (h) => imageHosts.has(h) || sites.has(h));
  const pathname = new URL(req.url ?? '/', 'https://fixture.invalid').pathname;
  const method = req.method ?? 'GET';
  if (imageHosts.has(host)) return imageReply(host, pathname, method);
  const site = sites.get(host);
  if (!site) return textReply(404, `no fixture site for host ${host}`);
  if (method !== 'GET' && method !== 'HEAD') return textReply(405, `fixtures are read-only (${method})`);
  return siteReply(site, pathname);
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...BASE_HEADERS, ...reply.headers, 'Content-Length': String(reply.body.length) });
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    // Port 0: the OS picks a free port, so parallel runs and stale servers never clash.
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

export async function startFixtureServer(opts: StartFixtureServerOptions = {}): Promise<FixtureServer> {
  const loaded = await loadSites(resolve(opts.sitesDir ?? DEFAULT_SITES_DIR));
  const sites = siteByHost(loaded);
  const imageHosts = imageHostsOf(loaded);
  const imageHostSet = new Set(imageHosts);
  const hosts = [...sites.keys(), ...imageHosts];
  const requests: FixtureRequest[] = [];
  const server = createServer(await makeSelfSignedCert(hosts), (req, res) => {
    requests.push({ host: hostWithoutPort(req.headers.host), path: req.url ?? '/' });
    replyFor(req, sites, imageHostSet)
      .catch((error: unknown) => textReply(500, String(error)))
      .then((reply) => send(req, res, reply))
      .catch(() => res.destroy());
  });
  const port = await listen(server);
  return {
    port,
    hosts,
    requests,
    close: () =>
      new Promise<void>((done) => {
        // Chromium keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
