// @vitest-environment node
// jsdom's Blob has no arrayBuffer(), which hashing and the zip need.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { bundleVerdict } from '../../../src/bundle/verdict';
import { verifyBundle } from '../../../src/bundle/verify';
import type { CustodyEvent } from '../../../src/evidence/model';
import { timeStampRequest } from '../../../src/evidence/rfc3161';
import { makeTestTsa, replyWithOpenssl, type TestTsa } from '../../harness/tsa-server';
import { makeCustodyLog } from '../factories';
import { makeSampleBundle } from './sample-bundle';

/**
 * A bundle's timestamp.tsr must be a granted RFC 3161 token over its own
 * capture's "captured" event. The tokens come from a real `openssl ts -reply`
 * authority; the bundles are made by the exporter, so SHA256SUMS, the
 * manifest and metadata.json all agree and only the timestamp check can
 * tell a token about another capture.
 */

let dir: string;
let tsa: TestTsa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-verify-tsr-'));
  tsa = await makeTestTsa(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capturedEvent(custody: readonly CustodyEvent[], captureId: string): CustodyEvent {
  const event = custody.find((e) => e.action === 'captured' && e.captureId === captureId);
  if (!event) throw new Error(`no captured event for ${captureId}`);
  return event;
}

/** The sample bundle with `tokenFor`'s "captured" event timestamped and filed as post-2's timestamp.tsr. */
async function bundleWithTimestamp(tokenFor: 'post-1' | 'post-2' | 'garbage'): Promise<Blob> {
  const { input, store } = await makeSampleBundle();
  const custody = input.custody as CustodyEvent[];
  const tsr =
    tokenFor === 'garbage'
      ? new Blob(['<html>captive portal</html>'], { type: 'application/timestamp-reply' })
      : new Blob(
          [new Uint8Array(await replyWithOpenssl(tsa, timeStampRequest(capturedEvent(custody, tokenFor).hash, 42n)))],
          { type: 'application/timestamp-reply' },
        );
  const ref = await store.put('post-2', 'timestamp.tsr', tsr);
  const added = await makeCustodyLog(
    [{ action: 'artifact-added', captureId: 'post-2', detail: { artifact: ref } }],
    custody[custody.length - 1],
  );
  return (await buildBundle({ ...input, custody: [...custody, ...added] })).zip;
}

describe('verifyBundle and timestamp.tsr', () => {
  it('a token over the capture’s own "captured" event verifies, with the authority’s time', async () => {
    const result = await verifyBundle(await bundleWithTimestamp('post-2'));
    expect(result.problems).toEqual([]);
    expect(result.timestamps).toEqual([
      { folder: 'captures/0002-x-unknown-20261121T090000Z', genTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    expect(bundleVerdict(result, []).details.join('\n')).toContain('1 trusted timestamp covers its capture');
  });

  it('a genuine token about another capture is named as not this capture’s', async () => {
    const result = await verifyBundle(await bundleWithTimestamp('post-1'));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: 'timestamp',
        path: 'captures/0002-x-unknown-20261121T090000Z/timestamp.tsr',
        message: expect.stringMatching(/is not a timestamp of this capture/),
      }),
    ]);
  });

  it('bytes that are not a timestamp response are reported, not thrown', async () => {
    const result = await verifyBundle(await bundleWithTimestamp('garbage'));
    expect(result.problems.map((p) => p.kind)).toEqual(['timestamp']);
    expect(result.problems[0]?.message).toMatch(/is not a timestamp: The timestamp response is not valid/);
  });
});
