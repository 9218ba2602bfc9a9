import { describe, expect, it } from 'vitest';
import { longText, SHOWN_CHARACTERS } from '../../../src/ui/long-text';
import { startAuthorView } from '../../../src/ui/manager/author-view';
import type { ManagerContext } from '../../../src/ui/manager/context';
import { openEvidenceDb, storeCapture } from '../../../src/evidence/store';
import { makeCapture } from '../factories';

// 1,000,000 characters: the longest text a stored or imported record may hold (src/evidence/capture-schema.ts).
const MEGABYTE_TEXT = 'All of this is one very long post. '.repeat(30_000).slice(0, 1_000_000);

describe('long captured texts in views', () => {
  it('shows the start of a long text and all of it after "Show all"', () => {
    const box = longText(document, MEGABYTE_TEXT, { className: 'capture__text' });
    const button = box.querySelector('button.show-all')!;
    expect(button.textContent).toBe('Show all (1,000,000 characters)');
    expect(box.textContent!.length).toBeLessThan(SHOWN_CHARACTERS + 100);
    button.dispatchEvent(new MouseEvent('click'));
    expect(box.textContent).toBe(MEGABYTE_TEXT);
    expect(box.querySelector('button')).toBeNull();
  });

  it('shows a short text whole, neutralised, with no button', () => {
    const box = longText(document, 'hi \u202e there', { tag: 'blockquote', id: 'detail-text' });
    expect(box.outerHTML).toBe('<blockquote id="detail-text" dir="auto">hi [U+202E] there</blockquote>');
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(20)}`;
    const shown = longText(document, text, { limit: 10 }).querySelector('span')!.textContent!;
    expect(shown).toBe(`${'a'.repeat(9)}…`);
  });

  it('the author view of a capture with a 1 MB text lays out only its start, with "Show all"', async () => {
    const db = await openEvidenceDb(`long-text-${Math.random()}`);
    const author = { displayName: 'Long Writer', handle: 'LongWriter', profileUrl: null };
    await storeCapture(db, makeCapture({ id: 'long', text: MEGABYTE_TEXT, author }), [], 'A');
    document.body.innerHTML = '<section id="author-view" hidden></section>';
    const ctx = { doc: document, db, caseName: () => 'Case', showList: () => undefined } as unknown as ManagerContext;
    await startAuthorView(ctx).open({ platform: 'x', handle: 'LongWriter' });
    const text = document.querySelector('#author-view .capture__text')!;
    expect(text.textContent!.length).toBeLessThan(SHOWN_CHARACTERS + 100);
    text.querySelector('button')!.dispatchEvent(new MouseEvent('click'));
    expect(text.textContent).toBe(MEGABYTE_TEXT);
  });
});
