/**
 * What the browser Witness Box was built for does not allow, decided at build
 * time (WXT builds one extension per browser), each with the way round it.
 */

/**
 * Firefox refuses html2canvas-pro's cloning to a content script (it writes into
 * an iframe document: https://github.com/niklasvh/html2canvas/issues/1184) and
 * fails a content script's crossOrigin image loads, so there the render runs in
 * the page's own context (src/background/page-render.ts).
 */
export const RENDER_IN_PAGE_CONTEXT: boolean = import.meta.env.FIREFOX;

/**
 * Firefox ends the activeTab grant when the tab loads another page, and host
 * permissions do not let tabs.captureVisibleTab screenshot a page there (only
 * `<all_urls>`, every site, would:
 * https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/tabs/captureVisibleTab).
 * So Witness Box cannot screenshot the author's profile it opened itself: it
 * opens the profile for the user, who presses Capture profile there, which
 * grants the screenshot anew (src/background/profile.ts).
 */
export const PROFILE_NEEDS_USER_CLICK: boolean = import.meta.env.FIREFOX;
