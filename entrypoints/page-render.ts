import { renderMarkedElement } from '../src/capture/page-render';

/**
 * Firefox only: run in the page's own context by scripting.executeScript({ world: 'MAIN' })
 * (src/background/page-render.ts says why). Its result is the script's result.
 */
export default defineUnlistedScript({
  include: ['firefox'],
  main: () => renderMarkedElement(document),
});
