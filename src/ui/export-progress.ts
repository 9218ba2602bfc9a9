import { listen, type ExportOutcome } from '../messages';

/**
 * Shows an export's progress in `bar` while one runs, whichever page or
 * popup started it; hidden again when it completes. Returns the function
 * that stops listening.
 */
export function showExportProgress(bar: HTMLProgressElement): () => void {
  return listen('page', {
    'export-progress': async ({ done, total }) => {
      bar.max = Math.max(1, total);
      bar.value = done;
      bar.hidden = done >= total;
      bar.textContent = `${done} of ${total} files`;
      return null;
    },
  });
}

/** The export's outcome for the status line; an error when a damaged record had to be left out, so it is seen. */
export function exportSummary(outcome: ExportOutcome): [text: string, kind: 'success' | 'error'] {
  const done = `Exported ${outcome.captureCount} captures (${outcome.fileCount} files) to ${outcome.fileName} in your Downloads folder.`;
  const leftOut = outcome.leftOut ?? [];
  return [[done, ...leftOut].join(' '), leftOut.length ? 'error' : 'success'];
}
