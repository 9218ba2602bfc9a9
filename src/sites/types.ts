import type { ReadPost } from './read';

/**
 * What a site adapter reads from a page. Every field a page does not show is
 * `null`, never guessed: a report must not present an inference as an observation.
 */
export type Platform =
  | 'x'
  | 'bluesky'
  | 'reddit'
  | 'mastodon'
  | 'facebook'
  | 'youtube'
  | 'tiktok'
  | 'instagram'
  | 'threads'
  | 'linkedin'
  | 'whatsapp'
  | 'generic';

/** `conversation`: a direct-message thread, whose posts are message bubbles. */
export type PageKind = 'post' | 'timeline' | 'profile' | 'conversation' | 'unknown';

/** The direct-message thread a message was read from, as its header shows it. */
export interface ConversationInfo {
  /** The other party's name, or the group's, as shown above the messages. */
  title: string | null;
  /** The thread's own URL when the app has one (WhatsApp Web has none). */
  url: string | null;
  /** Handles or names of the other people in it, when shown. */
  participants: string[];
}

export interface AuthorInfo {
  displayName: string | null;
  /** Without the leading "@". */
  handle: string | null;
  profileUrl: string | null;
}

/** A time as the platform displayed it; `iso` is null when the page gave no machine-readable time. */
export interface ShownTime {
  raw: string | null;
  iso: string | null;
  /**
   * How `iso` was computed when the page showed only a relative or local
   * time ("2h", "Yesterday at 14:05"): the rule and the capture time used,
   * from `resolveShownTime`. Absent or null when `iso` is the page's own.
   */
  rule?: string | null;
}

export interface PostInfo {
  platform: Platform;
  permalink: string | null;
  postId: string | null;
  author: AuthorInfo;
  text: string | null;
  shownTime: ShownTime;
  mediaUrls: string[];
  isReply: boolean;
  /** The post this one answers, when the page links it. */
  replyToUrl: string | null;
  quotedPostUrl: string | null;
  /** Set only on a direct message: the conversation it belongs to. */
  conversation?: ConversationInfo;
}

export interface ProfileInfo {
  platform: Platform;
  displayName: string | null;
  handle: string | null;
  profileUrl: string | null;
  bio: string | null;
  /** Counts exactly as shown ("1.2K"), because the page's rounding is what was observed. */
  followersShown: string | null;
  followingShown: string | null;
  postsShown: string | null;
  joinedShown: string | null;
  /** The platform's stable account id when the page exposes it, so a renamed handle still links. */
  accountId: string | null;
  verified: boolean | null;
  state: 'public' | 'protected' | 'suspended' | 'not-found' | 'login-wall' | 'unknown';
}

/** A page's content as `npm run extract` prints it and tests compare it. */
export interface PageExtract {
  platform: Platform;
  pageKind: PageKind;
  posts: PostInfo[];
  profile: ProfileInfo | null;
}

/**
 * One platform's knowledge of its markup. Pure DOM in, data out: no browser
 * extension APIs here, so the same code runs in the content script, in unit
 * tests on fixture HTML, and in `npm run extract` on saved pages.
 */
export interface SiteAdapter {
  platform: Platform;
  /** Raised whenever the adapter's reading of the markup changes, and recorded with every capture it reads. */
  version: number;
  /** Every post and comment on the platform has a permalink (direct messages aside), so one not read is a failure. */
  everyPostLinked: boolean;
  /** Host patterns for the manifest (host_permissions and content script matches). */
  hostPatterns: readonly string[];
  matchesUrl(url: URL): boolean;
  /**
   * For platforms that run on any host (Mastodon): whether the document is
   * one of theirs, judged by its markup. Consulted only when no adapter
   * claims the URL (`adapterForPage`).
   */
  matchesDocument?(doc: Document): boolean;
  pageKind(doc: Document, url: URL): PageKind;
  /** Every post container on the page, in document order. */
  listPosts(doc: Document): Element[];
  /** The post container that holds `target`, or null if it is not inside a post. */
  postContaining(target: Element): Element | null;
  /** On a single-post page, the post the URL names (not the replies under it). */
  mainPost(doc: Document, url: URL): Element | null;
  extractPost(post: Element, pageUrl: URL): PostInfo;
  /** `extractPost`, with the strategy that read each key field. */
  readPost(post: Element, pageUrl: URL): ReadPost;
  extractProfile(doc: Document, url: URL): ProfileInfo | null;
}
