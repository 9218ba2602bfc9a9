import type { PageKind, SiteAdapter } from './types';

/** What differs between platforms; everything else an adapter does is the same, and written once here. */
export interface AdapterParts extends Pick<
  SiteAdapter,
  'platform' | 'hostPatterns' | 'matchesUrl' | 'matchesDocument' | 'extractPost' | 'extractProfile'
> {
  /** Every element a post or comment is drawn in. */
  postSelector: string;
  kindOfUrl(url: URL): PageKind;
  /** On a single-post page, the post the URL names; null falls back to the first post listed. */
  focalPost(doc: Document, url: URL): Element | null;
}

export function defineAdapter(parts: AdapterParts): SiteAdapter {
  const listPosts = (doc: Document): Element[] => postsIn(doc, parts.postSelector);
  return {
    platform: parts.platform,
    hostPatterns: parts.hostPatterns,
    matchesUrl: parts.matchesUrl,
    ...(parts.matchesDocument && { matchesDocument: parts.matchesDocument }),
    pageKind: (_doc, url) => parts.kindOfUrl(url),
    listPosts,
    postContaining: (target) => target.closest(parts.postSelector),
    mainPost: (doc, url) =>
      parts.kindOfUrl(url) === 'post' ? (parts.focalPost(doc, url) ?? listPosts(doc)[0] ?? null) : null,
    extractPost: parts.extractPost,
    extractProfile: parts.extractProfile,
  };
}

export function postsIn(doc: Document, selector: string): Element[] {
  return Array.from(doc.querySelectorAll(selector));
}

export function matchesHosts(hosts: ReadonlySet<string>): (url: URL) => boolean {
  return (url) => hosts.has(url.hostname.toLowerCase());
}
