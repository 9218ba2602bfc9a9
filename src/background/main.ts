import { browser } from 'wxt/browser';
import { listen } from '../messages';
import { getCapture, listCaptures, openEvidenceDb, summarize } from '../evidence/store';
import { describeDamaged } from '../evidence/capture-schema';
import { captureStandaloneProfile, retryProfile, runningProfileJobs } from './profile';
import { capturePostInTab, settleAbandonedRenders, startPickerInTab } from './capture';
import { captureWholePage } from './page-capture';
import { exportActiveCase } from './export';
import { listenForTimestampAlarm, timestampQueue } from './timestamps';

const MENU_CAPTURE_POST = 'capture-post';
const COMMAND_CAPTURE_POST = 'capture-post';

/**
 * Wires the triggers to the capture pipeline. Listeners are registered
 * synchronously at start-up, because the worker is restarted for each event
 * and an event arriving before its listener exists is lost.
 */
export function startBackground(): void {
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({
        id: MENU_CAPTURE_POST,
        title: 'Capture as evidence',
        // Everywhere: on a site without an adapter it starts the element picker.
        contexts: ['all'],
      }),
    );
  });

  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === MENU_CAPTURE_POST && tab?.id !== undefined) void capturePostInTab(tab.id, 'context-menu');
  });

  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== COMMAND_CAPTURE_POST) return;
    void (tab?.id !== undefined ? Promise.resolve(tab.id) : activeTabId()).then((tabId) =>
      capturePostInTab(tabId, 'command'),
    );
  });

  listen('background', {
    'capture-tab': ({ tabId, trigger }) => capturePostInTab(tabId, trigger),
    'list-captures': async ({ limit }) => {
      const db = await openEvidenceDb();
      const { captures, damaged } = await listCaptures(db, limit);
      await settleAbandonedRenders(db, captures);
      return {
        captures: await Promise.all(
          captures.map((capture) => summarize(db, capture, runningProfileJobs.has(capture.id))),
        ),
        damaged: damaged.map((d) => describeDamaged(d)),
      };
    },
    'start-picker': ({ tabId }) => startPickerInTab(tabId),
    'capture-picked': async (_message, sender) => {
      if (sender.tab?.id === undefined) throw new Error('Only a page can say what was picked in it.');
      return capturePostInTab(sender.tab.id, 'picker');
    },
    'capture-page': ({ tabId }) => captureWholePage(tabId),
    'capture-profile': ({ tabId }) => captureStandaloneProfile(tabId),
    'retry-profile': async ({ captureId, tabId }) => {
      const post = await getCapture(await openEvidenceDb(), captureId);
      if (!post) throw new Error('That capture is no longer stored.');
      return retryProfile(post, tabId);
    },
    'export-bundle': (choice) => exportActiveCase(choice),
    'timestamp-status': () => timestampQueue().status(),
    'retry-timestamps': () => timestampQueue().retryAll(),
  });
  listenForTimestampAlarm();
}

async function activeTabId(): Promise<number> {
  const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (tab?.id === undefined) throw new Error('There is no active tab to capture.');
  return tab.id;
}
