import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Capture } from '../../src/evidence/model';
import type { PageExtract, PostInfo } from '../../src/sites/types';
import { fixturePages, type FixturePage } from './field-accuracy';
import { DEFAULT_SITES_DIR } from './fixture-server';

/** A fixture page with its hand-checked expected extract. */
export type CheckedPage = FixturePage & { extract: PageExtract };

/** Each platform's main fixture pages, as listed in its pages.json: what the e2e tests and the bench capture. */
export interface PlatformPages {
  platform: string;
  post: CheckedPage | null;
  conversation: CheckedPage | null;
  /** A public profile page, for "Capture profile". */
  profile: CheckedPage | null;
}

export async function platformPages(sitesDir = DEFAULT_SITES_DIR): Promise<PlatformPages[]> {
  const out: PlatformPages[] = [];
  for (const entry of (await readdir(sitesDir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    const dir = join(sitesDir, entry.name);
    const pages: CheckedPage[] = await Promise.all(
      (await fixturePages(dir)).map(async (page) => ({
        ...page,
        extract: JSON.parse(await readFile(join(dir, page.expected), 'utf8')) as PageExtract,
      })),
    );
    // The first page of each kind is the platform's main fixture; only hosts the fixture server answers (old.reddit.com is read in unit tests).
    const first = (kind: PageExtract['pageKind']) =>
      pages.find(
        (p) => p.extract.pageKind === kind && p.extract.platform === entry.name && !p.url.startsWith('https://old.'),
      ) ?? null;
    const post = first('post');
    const conversation = first('conversation');
    if (!post && !conversation) continue;
    const profile =
      pages.find((p) => p.extract.pageKind === 'profile' && p.extract.profile?.state === 'public') ?? null;
    out.push({ platform: entry.name, post, conversation, profile });
  }
  return out.sort((a, b) => a.platform.localeCompare(b.platform));
}

/** What the stored record must say of a post, from the expected extract: the adapter's reading, kept as read. */
export function recordedFields(post: PostInfo): Partial<Capture> {
  return {
    platform: post.platform,
    permalink: post.permalink,
    postId: post.postId,
    author: post.author,
    text: post.text,
    mediaUrls: post.mediaUrls,
    isReply: post.isReply,
    replyToUrl: post.replyToUrl,
    quotedPostUrl: post.quotedPostUrl,
  };
}
