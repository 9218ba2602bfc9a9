import { startManager } from '../../src/ui/manager/page';

void startManager(document).catch((error: unknown) => {
  const status = document.querySelector('#status');
  if (status) status.textContent = error instanceof Error ? error.message : String(error);
});
