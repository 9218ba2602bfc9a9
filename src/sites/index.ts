import type { PageExtract, SiteAdapter } from './types';
import { xAdapter } from './x';

/** Every supported platform. A new adapter is added here and nowhere else. */
export const adapters: SiteAdapter[] = [xAdapter];

export function adapterForUrl(url: URL): SiteAdapter | null {
  return adapters.find((adapter) => adapter.matchesUrl(url)) ?? null;
}

/** Everything the adapter can read from a page: what `npm run extract` prints and fixture tests compare. */
export function extractPage(doc: Document, url: URL): PageExtract {
  const adapter = adapterForUrl(url);
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
