import type { ProfileInfo, SiteAdapter } from '../sites/types';

/**
 * Polls the page until the adapter reads a profile whose state it can tell,
 * because platforms draw profiles after load. Gives up at the deadline with
 * whatever it read last: a login wall or an empty page is evidence too.
 */
export async function waitForProfile(
  adapter: SiteAdapter,
  doc: Document,
  url: () => URL,
  timeoutMs: number,
  pollMs = 100,
): Promise<ProfileInfo | null> {
  const deadline = Date.now() + timeoutMs;
  let profile = adapter.extractProfile(doc, url());
  while (!(profile && profile.state !== 'unknown') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    profile = adapter.extractProfile(doc, url());
  }
  return profile;
}
