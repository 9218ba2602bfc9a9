import { browser } from 'wxt/browser';
import {
  announceToPages,
  sendToOffscreen,
  type ExportChoice,
  type ExportOutcome,
  type OffscreenExportRequest,
} from '../messages';
import { openEvidenceDb } from '../evidence/store';
import { exportCase, leftOutLines } from '../bundle/collect';
import { percentProgress } from '../bundle/progress';
import { describeEnvironment } from './environment';
import { readSettings } from './settings';

const OFFSCREEN_PATH = '/offscreen.html';

/**
 * Exports the active case and downloads it. Runs in the background, so
 * closing the popup that asked for it does not stop it. Chrome's worker
 * cannot make blob URLs, so there the offscreen document builds the zip;
 * Firefox's background page can do it itself.
 */
export async function exportActiveCase(choice: ExportChoice = {}): Promise<ExportOutcome> {
  const settings = await readSettings();
  const db = await openEvidenceDb();
  const storedCase = await db.get('cases', settings.activeCaseId);
  const request: OffscreenExportRequest = {
    caseId: settings.activeCaseId,
    caseName: storedCase?.name ?? 'evidence',
    exportedBy: settings.capturedBy,
    environment: await describeEnvironment(),
    ...choice,
  };
  if (browser.offscreen) {
    await ensureOffscreenDocument();
    const { blobUrl, ...outcome } = await sendToOffscreen('offscreen-export', request);
    await download(blobUrl, outcome.fileName);
    await sendToOffscreen('offscreen-revoke', { blobUrl });
    return outcome;
  }
  const onProgress = percentProgress((done, total) => announceToPages('export-progress', { done, total }));
  const bundle = await exportCase(db, { ...request, onProgress });
  const blobUrl = URL.createObjectURL(bundle.zip);
  try {
    await download(blobUrl, bundle.fileName);
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
  return {
    fileName: bundle.fileName,
    fileCount: bundle.fileCount,
    captureCount: bundle.manifest.captures.length,
    bytes: bundle.zip.size,
    profile: bundle.manifest.profile,
    leftOut: leftOutLines(bundle.leftOut),
  };
}

async function ensureOffscreenDocument(): Promise<void> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const existing = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  if (existing.length > 0) return;
  await browser.offscreen.createDocument({
    url: OFFSCREEN_PATH,
    reasons: ['BLOBS'],
    justification: 'Build the evidence bundle zip and hand it to the downloads API as a blob URL.',
  });
}

/** Resolves when the file is completely written, so the blob URL is not revoked under it. */
async function download(url: string, filename: string): Promise<void> {
  const id = await browser.downloads.download({ url, filename, saveAs: false, conflictAction: 'uniquify' });
  await new Promise<void>((resolve, reject) => {
    const check = async () => {
      const [item] = await browser.downloads.search({ id });
      if (item?.state === 'complete') finish(resolve);
      else if (item?.state === 'interrupted')
        finish(() => reject(new Error(`The download was interrupted (${item.error ?? 'unknown reason'}).`)));
    };
    const listener = (delta: { id: number }) => {
      if (delta.id === id) void check();
    };
    const finish = (settle: () => void) => {
      browser.downloads.onChanged.removeListener(listener);
      settle();
    };
    browser.downloads.onChanged.addListener(listener);
    void check();
  });
}
