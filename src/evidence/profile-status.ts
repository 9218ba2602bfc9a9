import type { Capture, CustodyEvent, ProfileStatus } from './model';

/** The state of a post's profile capture, from its child captures, its custody events and the jobs running now. */
export function profileStatusOf(
  post: Capture,
  children: readonly Capture[],
  postEvents: readonly CustodyEvent[],
  running: boolean,
  linkedProfile: (id: string) => Capture | undefined,
): ProfileStatus {
  if (running) return { status: 'capturing', handle: post.author.handle };
  const child = children.find((c) => c.kind === 'profile' && c.parentId === post.id);
  if (child)
    return { status: 'captured', profileCaptureId: child.id, state: child.profile?.state ?? 'unknown', reused: false };
  const events = [...postEvents].sort((a, b) => b.seq - a.seq);
  const last = events.find((e) => e.action === 'profile-linked' || e.action === 'profile-failed');
  if (last?.action === 'profile-linked' && typeof last.detail.profileCaptureId === 'string') {
    const linked = linkedProfile(last.detail.profileCaptureId);
    return {
      status: 'captured',
      profileCaptureId: last.detail.profileCaptureId,
      state: linked?.profile?.state ?? 'unknown',
      reused: true,
    };
  }
  if (last?.action === 'profile-failed')
    return { status: 'failed', reason: String(last.detail.reason ?? 'unknown reason') };
  return { status: 'none' };
}
