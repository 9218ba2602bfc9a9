/**
 * Hosts the extension may script and screenshot without a per-click grant.
 * Kept free of adapter code so the manifest build can import it cheaply.
 * Each list is the smallest that covers the platform's web app. Mastodon is
 * absent on purpose: it runs on thousands of hosts, so its content script is
 * injected on demand (activeTab) and the page is recognised by its markup.
 */
export const X_HOST_PATTERNS = [
  'https://x.com/*',
  'https://*.x.com/*',
  'https://twitter.com/*',
  'https://*.twitter.com/*',
] as const;

export const BLUESKY_HOST_PATTERNS = ['https://bsky.app/*'] as const;

export const REDDIT_HOST_PATTERNS = ['https://www.reddit.com/*', 'https://old.reddit.com/*'] as const;

// Messenger's own site shows the same conversations as facebook.com/messages.
export const FACEBOOK_HOST_PATTERNS = [
  'https://www.facebook.com/*',
  'https://m.facebook.com/*',
  'https://www.messenger.com/*',
] as const;

export const YOUTUBE_HOST_PATTERNS = ['https://www.youtube.com/*'] as const;

export const TIKTOK_HOST_PATTERNS = ['https://www.tiktok.com/*'] as const;

export const INSTAGRAM_HOST_PATTERNS = ['https://www.instagram.com/*'] as const;

// Threads moved from threads.net to threads.com in 2025; old links still resolve.
export const THREADS_HOST_PATTERNS = ['https://www.threads.com/*', 'https://www.threads.net/*'] as const;

export const LINKEDIN_HOST_PATTERNS = ['https://www.linkedin.com/*'] as const;

export const WHATSAPP_HOST_PATTERNS = ['https://web.whatsapp.com/*'] as const;

export const SUPPORTED_HOST_PATTERNS: readonly string[] = [
  ...X_HOST_PATTERNS,
  ...BLUESKY_HOST_PATTERNS,
  ...REDDIT_HOST_PATTERNS,
  ...FACEBOOK_HOST_PATTERNS,
  ...YOUTUBE_HOST_PATTERNS,
  ...TIKTOK_HOST_PATTERNS,
  ...INSTAGRAM_HOST_PATTERNS,
  ...THREADS_HOST_PATTERNS,
  ...LINKEDIN_HOST_PATTERNS,
  ...WHATSAPP_HOST_PATTERNS,
];
