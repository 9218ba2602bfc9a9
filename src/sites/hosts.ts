/**
 * Hosts the extension may script and screenshot without a per-click grant.
 * Kept free of adapter code so the manifest build can import it cheaply.
 */
export const X_HOST_PATTERNS = [
  'https://x.com/*',
  'https://*.x.com/*',
  'https://twitter.com/*',
  'https://*.twitter.com/*',
] as const;

export const SUPPORTED_HOST_PATTERNS: readonly string[] = [...X_HOST_PATTERNS];
