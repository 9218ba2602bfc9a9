// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { unscriptableReason } from '../../../src/capture/page-policy';

describe('unscriptableReason', () => {
  it.each([
    ['chrome://settings', /chrome:\/\/ pages/],
    ['chrome-extension://abc/popup.html', /chrome-extension:\/\/ pages/],
    ['about:blank', /about:\/\/ pages/],
    ['file:///home/me/post.html', /file:\/\/ pages/],
    ['https://chromewebstore.google.com/detail/x', /add-on store/],
    ['https://chrome.google.com/webstore/category/extensions', /add-on store/],
    ['https://addons.mozilla.org/en-GB/firefox/', /add-on store/],
    [undefined, /browser page .* or a site Witness Box does not support/],
    ['not a url', /not a web page/],
  ])('refuses %s with a reason', (url, reason) => {
    expect(unscriptableReason(url)).toMatch(reason);
  });

  it.each(['https://x.com/home', 'http://example.org/article', 'https://twitter.com/a/status/1'])(
    'allows %s',
    (url) => {
      expect(unscriptableReason(url)).toBeNull();
    },
  );
});
