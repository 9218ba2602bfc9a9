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
      ...(browser === 'firefox' ? [] : ['pageCapture', 'offscreen']),
    ],
    host_permissions: [...SUPPORTED_HOST_PATTERNS],
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
      browser === 'firefox' ? { gecko: { id: 'witness-box@example.org', strict_min_version: '128.0' } } : undefined,
  }),
});
