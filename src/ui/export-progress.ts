import { listen } from '../messages';

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
