/**
 * Why the extension cannot script a page, in words for the user, or null
 * when it can. Browsers forbid extensions on their own pages and stores.
 */
export function unscriptableReason(url: string | undefined): string | null {
  // The browser hides a tab's address from extensions only on pages they may not touch.
  if (!url) {
    return 'Witness Box cannot capture this tab: it is a browser page (such as settings or the add-on store) or a site Witness Box does not support yet.';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Witness Box cannot capture this tab: its address is not a web page.';
  }
  const storeHosts = [
    'chrome.google.com',
    'chromewebstore.google.com',
    'addons.mozilla.org',
    'microsoftedge.microsoft.com',
  ];
  if (storeHosts.includes(parsed.hostname)) {
    return 'Browsers do not let extensions capture their add-on store. Take an ordinary screenshot instead.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `Browsers do not let extensions capture ${parsed.protocol}// pages. Open the post on the website itself and try again.`;
  }
  return null;
}
