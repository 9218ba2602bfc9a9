/**
 * Why the extension cannot script a page, in words for the user, or null
 * when it can. Browsers forbid extensions on their own pages and stores.
 */
export function unscriptableReason(url: string | undefined): string | null {
  if (!url) return 'This tab has no web page the extension can read.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'This tab has no web page the extension can read.';
  }
  const storeHosts = ['chrome.google.com', 'chromewebstore.google.com', 'addons.mozilla.org', 'microsoftedge.microsoft.com'];
  if (storeHosts.includes(parsed.hostname)) {
    return 'Browsers do not let extensions capture their add-on store. Take an ordinary screenshot instead.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `Browsers do not let extensions capture ${parsed.protocol}// pages. Open the post on the website itself and try again.`;
  }
  return null;
}
