import { blueskyAdapter } from './bluesky';
import { facebookAdapter } from './facebook';
import { instagramAdapter } from './instagram';
import { linkedinAdapter } from './linkedin';
import { mastodonAdapter } from './mastodon';
import { redditAdapter } from './reddit';
import { threadsAdapter } from './threads';
import { tiktokAdapter } from './tiktok';
import type { PageExtract, SiteAdapter } from './types';
import { whatsappAdapter } from './whatsapp';
import { xAdapter } from './x';
import { youtubeAdapter } from './youtube';

/** Every supported platform. A new adapter is added here and nowhere else. */
export const adapters: SiteAdapter[] = [
  xAdapter,
  blueskyAdapter,
  redditAdapter,
  mastodonAdapter,
  facebookAdapter,
  youtubeAdapter,
  whatsappAdapter,
  tiktokAdapter,
  instagramAdapter,
  threadsAdapter,
  linkedinAdapter,
];

/** The adapter for a URL's host. Platforms recognised only by their markup (Mastodon) never match here. */
export function adapterForUrl(url: URL): SiteAdapter | null {
  return adapters.find((adapter) => adapter.matchesUrl(url)) ?? null;
}

/**
 * The adapter for a loaded page: by URL first, then by the document's markup
 * for platforms that run on any host. A host an adapter claims is never
 * handed to another adapter, whatever its markup.
 */
export function adapterForPage(doc: Document, url: URL): SiteAdapter | null {
  return adapterForUrl(url) ?? adapters.find((adapter) => adapter.matchesDocument?.(doc) === true) ?? null;
}

/** Everything the adapter can read from a page: what `npm run extract` prints and fixture tests compare. */
export function extractPage(doc: Document, url: URL): PageExtract {
  const adapter = adapterForPage(doc, url);
  if (!adapter) return { platform: 'generic', pageKind: 'unknown', posts: [], profile: null };
  const pageKind = adapter.pageKind(doc, url);
  const listed = adapter.listPosts(doc);
  const main = pageKind === 'post' ? adapter.mainPost(doc, url) : null;
  // On a single-post page the post the URL names comes first, whatever the replies above or below it.
  const ordered = main ? [main, ...listed.filter((post) => post !== main)] : listed;
  return {
    platform: adapter.platform,
    pageKind,
    posts: ordered.map((post) => adapter.extractPost(post, url)),
    profile: adapter.extractProfile(doc, url),
  };
}
