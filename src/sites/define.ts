import { sourcesOf, type ReadPost } from './read';
import type { PageKind, PostInfo, SiteAdapter } from './types';

/** What differs between platforms; everything else an adapter does is the same, and written once here. */
interface CommonParts extends Pick<
  SiteAdapter,
  'platform' | 'version' | 'hostPatterns' | 'matchesUrl' | 'matchesDocument' | 'extractProfile'
> {
  /** See `SiteAdapter.everyPostLinked`; false when absent. */
  everyPostLinked?: boolean;
  /** Every element a post or comment is drawn in. */
  postSelector: string;
  kindOfUrl(url: URL): PageKind;
  /** On a single-post page, the post the URL names; null falls back to the first post listed. */
  focalPost(doc: Document, url: URL): Element | null;
}

/**
 * An adapter reads a post either with its strategies recorded (`readPost`),
 * or as plain fields (`extractPost`), whose key fields are then recorded as
 * read by "markup" until the adapter says which way it read them.
 */
export type AdapterParts = CommonParts &
  (
    | { readPost(post: Element, pageUrl: URL): ReadPost; extractPost?: never }
    | { extractPost(post: Element, pageUrl: URL): PostInfo; readPost?: never }
  );

/** The strategy recorded for a field read by an adapter that does not yet record its strategies. */
export const UNRECORDED_STRATEGY = 'markup';

export function defineAdapter(parts: AdapterParts): SiteAdapter {
  const listPosts = (doc: Document): Element[] => postsIn(doc, parts.postSelector);
  const readPost =
    parts.readPost ??
    ((post: Element, pageUrl: URL): ReadPost => {
      const info = parts.extractPost(post, pageUrl);
      return { post: info, via: sourcesOf(info, {}, UNRECORDED_STRATEGY) };
    });
  return {
    platform: parts.platform,
    version: parts.version,
    everyPostLinked: parts.everyPostLinked ?? false,
    hostPatterns: parts.hostPatterns,
    matchesUrl: parts.matchesUrl,
    ...(parts.matchesDocument && { matchesDocument: parts.matchesDocument }),
    pageKind: (_doc, url) => parts.kindOfUrl(url),
    listPosts,
    postContaining: (target) => target.closest(parts.postSelector),
    mainPost: (doc, url) =>
      parts.kindOfUrl(url) === 'post' ? (parts.focalPost(doc, url) ?? listPosts(doc)[0] ?? null) : null,
    readPost,
    extractPost: (post, pageUrl) => readPost(post, pageUrl).post,
    extractProfile: parts.extractProfile,
  };
}

export function postsIn(doc: Document, selector: string): Element[] {
  return Array.from(doc.querySelectorAll(selector));
}

export function matchesHosts(hosts: ReadonlySet<string>): (url: URL) => boolean {
  return (url) => hosts.has(url.hostname.toLowerCase());
}
