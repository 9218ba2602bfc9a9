import { describe, expect, it } from 'vitest';
import { effectiveArtifacts } from '../../../src/evidence/effective';
import type { ArtifactRef } from '../../../src/evidence/model';
import { makeCapture, makeCustodyLog } from '../factories';

const ref = (name: ArtifactRef['name'], sha = 'a'): ArtifactRef => ({
  name,
  mime: 'image/png',
  bytes: 10,
  sha256: sha.repeat(64),
  hashedAt: '2026-11-20T18:42:08.000Z',
});

describe('effectiveArtifacts', () => {
  it('is the stored lists when nothing happened since', () => {
    const capture = makeCapture({
      artifacts: [ref('post.png')],
      missing: [{ name: 'page.mhtml', reason: 'unreadable' }],
    });
    expect(effectiveArtifacts(capture, [])).toEqual({
      artifacts: [ref('post.png')],
      missing: [{ name: 'page.mhtml', reason: 'unreadable' }],
      pending: [],
    });
  });

  it('adds late artifacts and failures recorded for this capture only', async () => {
    const capture = makeCapture({ id: 'c1', artifacts: [ref('post.png')], pending: ['post-render.png', 'post.html'] });
    const custody = await makeCustodyLog([
      { action: 'captured', captureId: 'c1' },
      { action: 'artifact-added', captureId: 'c2', detail: { artifact: ref('viewport.png') } },
      { action: 'artifact-added', captureId: 'c1', detail: { artifact: ref('post-render.png', 'b'), renderMs: 700 } },
      {
        action: 'artifact-failed',
        captureId: 'c1',
        detail: { name: 'post.html', reason: 'the post element vanished' },
      },
    ]);
    expect(effectiveArtifacts(capture, custody)).toEqual({
      artifacts: [ref('post.png'), ref('post-render.png', 'b')],
      missing: [{ name: 'post.html', reason: 'the post element vanished' }],
      pending: [],
    });
  });

  it('keeps artifacts still being made as pending', () => {
    const capture = makeCapture({ pending: ['post-render.png'] });
    expect(effectiveArtifacts(capture, []).pending).toEqual(['post-render.png']);
  });

  it('no longer lists as missing an artifact that arrived after failing once', async () => {
    const capture = makeCapture({ id: 'c1', missing: [{ name: 'page.mhtml', reason: 'NotFoundError' }] });
    const custody = await makeCustodyLog([
      { action: 'artifact-added', captureId: 'c1', detail: { artifact: ref('page.mhtml') } },
    ]);
    expect(effectiveArtifacts(capture, custody)).toMatchObject({ artifacts: [ref('page.mhtml')], missing: [] });
  });

  it('keeps the first record of an artifact: stored bytes are never replaced', async () => {
    const capture = makeCapture({ id: 'c1', artifacts: [ref('post.png', 'a')] });
    const custody = await makeCustodyLog([
      { action: 'artifact-added', captureId: 'c1', detail: { artifact: ref('post.png', 'b') } },
    ]);
    expect(effectiveArtifacts(capture, custody).artifacts).toEqual([ref('post.png', 'a')]);
  });

  it('follows seq order even if the events arrive shuffled', async () => {
    const capture = makeCapture({ id: 'c1' });
    const custody = await makeCustodyLog([
      { action: 'artifact-added', captureId: 'c1', detail: { artifact: ref('viewport.png') } },
      { action: 'artifact-added', captureId: 'c1', detail: { artifact: ref('post-render.png') } },
    ]);
    const names = effectiveArtifacts(capture, [...custody].reverse()).artifacts.map((a) => a.name);
    expect(names).toEqual(['viewport.png', 'post-render.png']);
  });

  it.each([
    [
      'an artifact-added event without a valid artifact',
      { action: 'artifact-added' as const, detail: { artifact: { name: '../x' } } },
    ],
    ['an artifact-failed event without a reason', { action: 'artifact-failed' as const, detail: { name: 'post.png' } }],
  ])('refuses %s, naming the event', async (_, body) => {
    const capture = makeCapture({ id: 'c1' });
    const custody = await makeCustodyLog([{ captureId: 'c1' }, { ...body, captureId: 'c1' }]);
    expect(() => effectiveArtifacts(capture, custody)).toThrow(/Custody event 2 .*for capture c1/);
  });
});
