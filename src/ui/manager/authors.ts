import type { Capture } from '../../evidence/model';

/**
 * Accounts across handle changes. Identities are "handle on a platform" and
 * "stable account id on a platform"; a profile capture that shows both joins
 * them, and so does a post whose author's profile was captured under it.
 * Everything joined, directly or through others, is one account.
 */

export interface AuthorKey {
  platform: string;
  handle: string | null;
  /** Used when the capture shows no handle. */
  displayName?: string | null;
}

const handleNode = (platform: string, handle: string) => `h:${platform}:${handle.toLowerCase()}`;
const accountNode = (platform: string, id: string) => `a:${platform}:${id}`;
const nameNode = (platform: string, name: string) => `n:${platform}:${name}`;

function nodeOf(key: AuthorKey): string | null {
  if (key.handle) return handleNode(key.platform, key.handle);
  if (key.displayName) return nameNode(key.platform, key.displayName);
  return null;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

export interface AuthorGroup {
  /** The account's captures (posts and profiles), newest first. */
  captures: Capture[];
  posts: number;
  profiles: number;
  /** capturedAt of the first and last capture, UTC ISO; null when there are none. */
  firstSeen: string | null;
  lastSeen: string | null;
  handles: string[];
  displayNames: string[];
  accountIds: string[];
  platforms: string[];
}

/** Every capture of the account `key` names, with counts and first / last seen. */
export function authorGroup(all: readonly Capture[], key: AuthorKey): AuthorGroup {
  const uf = new UnionFind();
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const c of all) {
    const accountId = c.profile?.accountId;
    if (!accountId) continue;
    const account = accountNode(c.platform, accountId);
    if (c.author.handle) uf.union(handleNode(c.platform, c.author.handle), account);
    // A post's own profile capture: the post's author is that account, whatever handle the post showed.
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    if (c.kind === 'profile' && parent?.author.handle && parent.platform === c.platform) {
      uf.union(handleNode(parent.platform, parent.author.handle), account);
    }
  }
  const start = nodeOf(key);
  const root = start ? uf.find(start) : null;
  const captures =
    root === null
      ? []
      : all.filter((c) => {
          const node = nodeOf({ platform: c.platform, handle: c.author.handle, displayName: c.author.displayName });
          return node !== null && uf.find(node) === root;
        });
  captures.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
  const distinct = (values: (string | null | undefined)[]) =>
    [...new Set(values.filter((v): v is string => !!v))].sort();
  return {
    captures,
    posts: captures.filter((c) => c.kind !== 'profile').length,
    profiles: captures.filter((c) => c.kind === 'profile').length,
    firstSeen: captures[captures.length - 1]?.capturedAt ?? null,
    lastSeen: captures[0]?.capturedAt ?? null,
    handles: distinct(captures.map((c) => c.author.handle)),
    displayNames: distinct(captures.map((c) => c.author.displayName)),
    accountIds: distinct(captures.map((c) => c.profile?.accountId)),
    platforms: distinct(captures.map((c) => c.platform)),
  };
}
