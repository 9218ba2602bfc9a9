import { defineConfig } from 'wxt';
import { SUPPORTED_HOST_PATTERNS } from './src/sites/hosts';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Witness Box',
    description:
      'Capture abusive social-media posts as evidence police and platforms can verify: screenshots, page archive, hashes, custody log.',
    permissions: [
      'activeTab',
      'scripting',
      'contextMenus',
      'downloads',
      'storage',
      'unlimitedStorage',
      // Wakes the worker to retry queued trusted timestamps (only used when the user turned them on).
      'alarms',
      ...(browser === 'firefox' ? [] : ['pageCapture', 'offscreen']),
    ],
    host_permissions: [...SUPPORTED_HOST_PATTERNS],
    // Asked for one origin at a time, only when the user names a timestamp authority and turns timestamps on
    // (Firefox's MV2 manifest lists optional origins under optional_permissions).
    ...(browser === 'firefox'
      ? { optional_permissions: ['https://*/*', 'http://*/*'] }
      : { optional_host_permissions: ['https://*/*', 'http://*/*'] }),
    commands: {
      'capture-post': {
        suggested_key: { default: 'Alt+Shift+E' },
        description: 'Capture the post nearest the centre of the screen as evidence',
      },
    },
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'",
    },
    browser_specific_settings:
      browser === 'firefox'
        ? {
            gecko: {
              id: 'witness-box@example.org',
              strict_min_version: '128.0',
              // Nothing is collected: the only request is the opt-in timestamp, which sends a hash, not the evidence.
              data_collection_permissions: { required: ['none'] },
            },
          }
        : undefined,
  }),
});
