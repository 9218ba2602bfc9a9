import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../../src/evidence/model';
import { renderCaptureList } from '../../../src/ui/capture-list';

function summary(overrides: Partial<CaptureSummary> = {}): CaptureSummary {
  return {
    id: 'c1',
    caseId: 'default',
    kind: 'post',
    parentId: null,
    platform: 'x',
    url: 'https://x.com/GazT_1977/status/1',
    permalink: 'https://x.com/GazT_1977/status/1',
    author: { displayName: 'Gary Thornbury', handle: 'GazT_1977', profileUrl: 'https://x.com/GazT_1977' },
    text: 'text',
    shownTime: { raw: 'Nov 20', iso: '2026-11-20T18:42:07.000Z' },
    capturedAt: '2026-11-23T14:00:00.000Z',
    status: 'complete',
    artifactCount: 5,
    missing: [],
    profile: { status: 'none' },
    unread: [],
    ...overrides,
  };
}

describe('renderCaptureList', () => {
  it('says which key fields the adapter could not read, and nothing when it read them all', () => {
    const list = document.createElement('ul');
    renderCaptureList(document, list, [summary({ id: 'bad', unread: ['author', 'shownTime'] }), summary()]);
    const [bad, good] = Array.from(list.children);
    expect(bad?.querySelector('.capture__unread')?.textContent).toBe(
      'The author and time could not be read from this page. The screenshot is saved: check it, or use Pick element.',
    );
    expect(good?.querySelector('.capture__unread')).toBeNull();
  });

  it('shows platform, author, handle, shown time and capture time', () => {
    const list = document.createElement('ul');
    renderCaptureList(document, list, [summary()]);
    const text = list.textContent ?? '';
    expect(text).toContain('X · Gary Thornbury @GazT_1977');
    expect(text).toContain('Shown time: Nov 20 (2026-11-20T18:42:07.000Z)');
    expect(text).toContain('2026-11-23 14:00:00 UTC');
    expect(text).toContain('Saved, 5 files');
  });

  it('shows captured markup as text and never creates elements from it', () => {
    const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';
    const list = document.createElement('ul');
    renderCaptureList(document, list, [
      summary({
        author: { displayName: payload, handle: payload, profileUrl: null },
        shownTime: { raw: payload, iso: null },
      }),
    ]);
    expect(list.querySelector('img, script')).toBeNull();
    expect(list.textContent).toContain(payload);
  });

  it('says what is missing and why', () => {
    const list = document.createElement('ul');
    renderCaptureList(document, list, [
      summary({ status: 'incomplete', missing: [{ name: 'post-render.png', reason: 'tainted canvas' }] }),
    ]);
    expect(list.textContent).toContain('Saved without post-render.png (tainted canvas)');
  });

  it('says when there is nothing yet', () => {
    const list = document.createElement('ul');
    renderCaptureList(document, list, []);
    expect(list.textContent).toBe('No captures yet.');
  });
});

describe('friendlyError', () => {
  it("turns the browser's messaging errors into what happened and what to do", async () => {
    const { friendlyError } = await import('../../../src/ui/format');
    const raw = new Error(
      'A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received',
    );
    expect(friendlyError(raw)).toMatch(/^Witness Box was interrupted .* capture it again\.$/);
    expect(friendlyError(new Error('Storage is full: this capture was not saved.'))).toBe(
      'Storage is full: this capture was not saved.',
    );
  });
});
