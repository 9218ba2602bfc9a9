/**
 * A real RFC 3161 time-stamping authority for tests: a throwaway CA and a TSA
 * certificate made with openssl at test start, and a small HTTP server on
 * 127.0.0.1 that answers each posted TimeStampReq with `openssl ts -reply`.
 * Nothing here is faked: the responses are exactly what openssl's TSA makes,
 * and `openssl ts -verify` checks them against the test CA.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTsa {
  dir: string;
  /** The test CA's certificate: `-CAfile` for `openssl ts -verify`. */
  caCert: string;
  /** The TSA's signing certificate (also inside every response, since requests ask for it). */
  tsaCert: string;
  tsaKey: string;
  /** openssl's TSA configuration (`[tsa]` section). */
  config: string;
}

export async function openssl(args: string[], cwd?: string): Promise<string> {
  const { stdout, stderr } = await run('openssl', args, { cwd, encoding: 'utf8' });
  return stdout + stderr;
}

/** Makes a CA and a TSA certificate it issued (extendedKeyUsage critical, timeStamping), and tsa.cnf, in `dir`. */
export async function makeTestTsa(dir: string): Promise<TestTsa> {
  await mkdir(dir, { recursive: true });
  const p = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=Witness Box Test Timestamp CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl(['req', ...ec, '-keyout', p('tsa.key'), '-out', p('tsa.csr'), '-subj', '/CN=Witness Box Test TSA']);
  await writeFile(
    p('tsa-ext.cnf'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n',
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    p('tsa.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('tsa.pem'),
    '-days',
    '30',
    '-extfile',
    p('tsa-ext.cnf'),
  ]);
  await writeFile(p('tsaserial'), '01\n');
  const config = p('tsa.cnf');
  await writeFile(
    config,
    [
      '[ tsa ]',
      'default_tsa = tsa_config1',
      '',
      '[ tsa_config1 ]',
      `serial = ${p('tsaserial')}`,
      'crypto_device = builtin',
      `signer_cert = ${p('tsa.pem')}`,
      `signer_key = ${p('tsa.key')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'other_policies = 1.2.3.4.5.6',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'clock_precision_digits = 3',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  return { dir, caCert: p('ca.pem'), tsaCert: p('tsa.pem'), tsaKey: p('tsa.key'), config };
}

let replyCount = 0;

/** `openssl ts -reply` for the request bytes: the whole TimeStampResp DER. */
export async function replyWithOpenssl(tsa: TestTsa, request: Uint8Array): Promise<Buffer> {
  const n = ++replyCount;
  const query = join(tsa.dir, `req-${n}.tsq`);
  const reply = join(tsa.dir, `resp-${n}.tsr`);
  await writeFile(query, request);
  await openssl([
    'ts',
    '-reply',
    '-config',
    tsa.config,
    '-queryfile',
    query,
    '-inkey',
    tsa.tsaKey,
    '-signer',
    tsa.tsaCert,
    '-out',
    reply,
  ]);
  return readFile(reply);
}

export interface TsaServer {
  /** `http://localhost:<port>/tsr`: the harness's host rules let only localhost through. */
  url: string;
  port: number;
  tsa: TestTsa;
  /** Every request body received, in order. */
  requests: Buffer[];
  /** Stops listening (the authority is "unreachable"); the port is kept for start(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the authority on 127.0.0.1; POST /tsr with application/timestamp-query answers with the reply. */
export async function startTsaServer(dir: string): Promise<TsaServer> {
  const tsa = await makeTestTsa(dir);
  const requests: Buffer[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.url !== '/tsr') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    requests.push(body);
    try {
      const reply = await replyWithOpenssl(tsa, body);
      res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': reply.length }).end(reply);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  };
  let server: Server | null = null;
  let port = 0;
  const start = async (): Promise<void> => {
    const s = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return {
    get url() {
      return `http://localhost:${port}/tsr`;
    },
    get port() {
      return port;
    },
    tsa,
    requests,
    stop,
    start,
    close: stop,
  };
}
