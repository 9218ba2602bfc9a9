import { SUPPORTED_HOST_PATTERNS } from '../src/sites/hosts';
import { startContentScript } from '../src/capture/content-main';

export default defineContentScript({
  matches: [...SUPPORTED_HOST_PATTERNS],
  runAt: 'document_idle',
  main(ctx) {
    ctx.onInvalidated(startContentScript(window));
  },
});
