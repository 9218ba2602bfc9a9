/**
 * The rows of the README's "Reliability" table, declared next to the tests that
 * prove them. A reliability test's name is `reliabilityTitle(case)`:
 *
 *   fault: <what goes wrong> → sees: <what the user is shown> → kept: <what is stored>
 *
 * so `npm run reliability` (scripts/reliability-table.ts) can rebuild the table
 * from vitest's JSON report with each test's pass/fail. Unit tests may use the
 * same pattern (the clock test does).
 */

export interface ReliabilityCase {
  fault: string;
  sees: string;
  kept: string;
}

const SEP = ' → ';

export function reliabilityTitle(c: ReliabilityCase): string {
  for (const part of [c.fault, c.sees, c.kept]) {
    if (part.includes(SEP)) throw new Error(`a reliability case may not contain "${SEP}": ${part}`);
  }
  return `fault: ${c.fault}${SEP}sees: ${c.sees}${SEP}kept: ${c.kept}`;
}

export function parseReliabilityTitle(title: string): ReliabilityCase | null {
  const match = /^fault: (.+?) → sees: (.+?) → kept: (.+)$/s.exec(title);
  return match ? { fault: match[1]!, sees: match[2]!, kept: match[3]! } : null;
}

export const RELIABILITY = {
  infiniteFeed: {
    fault: 'an endless feed that adds posts as it scrolls and drops those far above',
    sees: '"Saved as evidence" for the post in the middle of the screen, deep in the feed',
    kept: 'that post, with its screenshot and crop; nothing waits forever',
  },
  exportInterrupted: {
    fault: 'the browser is closed while an export is being built',
    sees: 'after the browser is started again, "Export bundle" works',
    kept: 'every capture and custody event, unchanged; the next bundle verifies (sha256sum -c)',
  },
  workerStopped: {
    fault: 'browser stops the background worker between the screenshot and the write',
    sees: '"Witness Box was interrupted … this post was not saved; capture it again" on the page; the popup shows an error',
    kept: 'nothing of that capture (no half record); earlier evidence untouched; capturing again works',
  },
  storageFull: {
    fault: 'storage quota exhausted while saving a capture',
    sees: '"Storage is full: this capture was not saved. Export and then delete older captures, or free disk space, and try again."',
    kept: 'nothing of that capture; all earlier evidence unchanged, exports and verifies (sha256sum -c)',
  },
  clockBackwards: {
    fault: 'the computer clock jumps backwards between two custody events',
    sees: 'nothing changes for the user; the custody log notes the jump',
    kept: 'everything; the log stays ordered by sequence and the event carries a clockNote with the previous time',
  },
  bulk: {
    fault: 'many captures in a row from a feed, faster than the 2 screenshots/s browser limit',
    sees: '"Saved as evidence" for each; the popup keeps answering',
    kept: 'every capture, screenshots queued at most 2 per second, no errors',
  },
  postRemoved: {
    fault: 'the post is removed from the page during the capture',
    sees: '"Saved as evidence"; the list shows the render as not saved with the reason',
    kept: 'screenshot, crop, page archive, post HTML; post-render.png recorded as failed: "the post left the page before it could be rendered"',
  },
  navigatedAway: {
    fault: 'the page navigates away during the capture',
    sees: '"Saved as evidence"; the render is listed as not saved with the reason',
    kept: 'screenshot, crop, page archive, post HTML; post-render.png recorded as failed with the reason',
  },
  bigPage: {
    fault: 'a page of 50,000 elements',
    sees: '"Saved as evidence" within the time limit',
    kept: 'the whole capture',
  },
  iframePost: {
    fault: 'the only post is embedded in an iframe',
    sees: '"No post captured: no post was found on screen …" within the time limit',
    kept: 'nothing new (nothing half-written)',
  },
  shadowPost: {
    fault: 'the only post sits inside a shadow root',
    sees: '"No post captured: no post was found on screen …" within the time limit',
    kept: 'nothing new (nothing half-written)',
  },
  xss: {
    fault:
      'post text, display name, shown time and page title are XSS payloads; the post holds live <img onerror>, javascript: links, remote images, CSS url(), frames and a meta refresh',
    sees: 'the payloads as plain text in the popup and in report.html; post.html opened from the unzipped bundle runs nothing and loads nothing; no dialog',
    kept: 'the capture, with the text exactly as the page showed it; post.html with the markup as captured, behind a policy that makes it inert',
  },
  syntheticRightClick: {
    fault: "right after the user's real right-click, the page fires a synthetic contextmenu event at another post",
    sees: '"Saved as evidence"',
    kept: 'the post the user right-clicked, never the one the page chose',
  },
  forgedMessages: {
    fault: 'the page imitates Witness Box (postMessage / DOM events shaped like its messages, a fake toast)',
    sees: "only the page's own fake toast; Witness Box does nothing",
    kept: 'the store unchanged',
  },
  networkSilence: {
    fault: 'a capture and an export are made',
    sees: 'nothing',
    kept: "no request leaves the extension's own contexts (worker, offscreen document, extension pages)",
  },
  unreadableMarkup: {
    fault:
      'markup the adapter cannot read (the platform restyled: no author, no time, no text where the post shows words, no permalink where the platform always has one)',
    sees: 'at once on the page: "The author and text could not be read from this page. The screenshot is saved: check it, or use Pick element."; the popup\'s list says the same',
    kept: 'the whole capture; metadata.json\'s adapter block records each field the adapter could not read as "not found"',
  },
} as const satisfies Record<string, ReliabilityCase>;
