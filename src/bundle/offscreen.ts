import { announceToPages, listen } from '../messages';
import { percentProgress } from './progress';
import { openEvidenceDb } from '../evidence/store';
import { exportCase, leftOutLines } from './collect';

/** The offscreen document's side of an export: build the zip, hold its blob URL until the download is done. */
export function startOffscreenExporter(): () => void {
  return listen('offscreen', {
    'offscreen-export': async (request) => {
      const onProgress = percentProgress((done, total) => announceToPages('export-progress', { done, total }));
      const bundle = await exportCase(await openEvidenceDb(), { ...request, onProgress });
      return {
        blobUrl: URL.createObjectURL(bundle.zip),
        fileName: bundle.fileName,
        fileCount: bundle.fileCount,
        captureCount: bundle.manifest.captures.length,
        bytes: bundle.zip.size,
        profile: bundle.manifest.profile,
        leftOut: leftOutLines(bundle.leftOut),
      };
    },
    'offscreen-revoke': async ({ blobUrl }) => {
      URL.revokeObjectURL(blobUrl);
      return null;
    },
  });
}
