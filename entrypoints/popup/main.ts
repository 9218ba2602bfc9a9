import { startPopup } from '../../src/ui/popup';

void startPopup(document).catch((error: unknown) => {
  const status = document.querySelector('#status');
  if (status) status.textContent = error instanceof Error ? error.message : String(error);
});
