/**
 * Firefox has no `--host-resolver-rules`, so its fixture sites keep their real
 * hostnames through this local proxy instead: a CONNECT to a fixture host (or a
 * subdomain of one) is piped to the fixture server, every other host is refused
 * at once, so a test can never reach, or wait for, the real internet.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FixtureServer } from './fixture-server';

export interface HostProxy {
  port: number;
  /** Hosts refused, in order: a test can assert nothing unexpected was asked for. */
  refused: string[];
  close(): Promise<void>;
}

/** `host` is one of `hosts` or a subdomain of one. */
export function isFixtureHost(host: string, hosts: readonly string[]): boolean {
  const name = host.toLowerCase();
  return hosts.some((h) => name === h || name.endsWith(`.${h}`));
}

/** The host of a proxy request's first line (`CONNECT x.com:443 HTTP/1.1`, or an absolute-URL GET); null if unreadable. */
export function requestedHost(firstLine: string): { method: string; host: string } | null {
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(firstLine.trim());
  if (!match) return null;
  const method = match[1] ?? '';
  const target = match[2] ?? '';
  if (method === 'CONNECT') {
    const host = /^\[?([^\]]+?)\]?:\d+$/.exec(target)?.[1];
    return host ? { method, host } : null;
  }
  try {
    return { method, host: new URL(target).hostname };
  } catch {
    return null;
  }
}

export async function startHostProxy(server: Pick<FixtureServer, 'port' | 'hosts'>): Promise<HostProxy> {
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) client.destroy();
        return;
      }
      client.off('data', onData);
      const request = requestedHost(head.subarray(0, head.indexOf('\r\n')).toString('latin1'));
      if (!request || request.method !== 'CONNECT' || !isFixtureHost(request.host, server.hosts)) {
        refused.push(request?.host ?? '(unreadable request)');
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const upstream = connect(server.port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
