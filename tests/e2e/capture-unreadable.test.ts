import { describe, expect, it } from 'vitest';
import { extensionSuite } from '../harness/suite';
import { RELIABILITY, reliabilityTitle } from './reliability-cases';
import {
  clickAndWaitForOutcome,
  openPopup,
  readStore,
  waitForNewCapture,
  waitForToast,
  withPage,
} from '../harness/flows';

/**
 * Item 4 of issue 16, "know when it fails": a platform restyles and the
 * adapter can no longer read the author or the text. The capture is still
 * saved, and the user is told at once, in the page, which fields were not
 * read and what to do; the popup lists it, and the record says how each
 * field was read.
 */

const { browser } = extensionSuite();
const URL_UNREADABLE = 'https://www.linkedin.com/wb-fixtures/linkedin-unreadable';

describe('a post whose markup the adapter cannot read', () => {
  it(reliabilityTitle(RELIABILITY.unreadableMarkup), async () => {
    await withPage(browser, URL_UNREADABLE, async (page) => {
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      const status = await clickAndWaitForOutcome(popup, '#capture-post');
      expect(status, status.text).toMatchObject({ kind: 'success' });
      const toast = await waitForToast(browser, page, /could not be read/);
      expect(toast).toContain(
        'The author and text could not be read from this page. The screenshot is saved: check it, or use Pick element.',
      );
      const { capture, dump } = await waitForNewCapture(browser.worker, before, 'post');
      expect(capture.adapter).toMatchObject({
        adapter: 'linkedin',
        version: expect.any(Number),
        fields: { author: 'not found', text: 'not found', permalink: 'data-urn' },
        unread: ['author', 'text'],
      });
      expect(dump.artifacts.filter((a) => a.captureId === capture.id).map((a) => a.name)).toContain('post.png');
      const row = await popup.waitForSelector(`.capture[data-capture-id="${capture.id}"] .capture__unread`);
      expect(await row.textContent()).toMatch(/^The author and text could not be read/);
    });
  });
});
