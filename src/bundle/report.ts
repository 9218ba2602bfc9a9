import { isStandIn, type CustodyLogEntry, type CustodyStandIn } from '../evidence/custody-chain';
import {
  CLOCKS,
  reportsFromCustody,
  type ArtifactName,
  type Capture,
  type CaptureReport,
  type CustodyEvent,
  type MissingArtifact,
} from '../evidence/model';
import { canonicalJson } from '../evidence/sha256';
import type { ConversationInfo, ProfileInfo } from '../sites/types';
import type { BundleTool, ExportProfile } from './export';
import { escapeHtml as e, urlHtml } from './html';
import { platformLabel, POLICE_ADVICE, reportingForAll, type PlatformReporting } from './where-to-report';

/**
 * report.html: the bundle as a person reads it. Pure (data in, string out),
 * self-contained, with no script at all and a Content-Security-Policy that
 * would stop one anyway. Every captured string goes through `escapeHtml`;
 * screenshots are referenced by their relative path in the unzipped bundle,
 * so the report stays small and shows the very files SHA256SUMS vouches for.
 */

/** No script, no fetches, no forms, no frames; images only from the bundle's own folder; inline styles only. */
export const REPORT_CSP =
  "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export interface ReportFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface ReportCapture {
  capture: Capture;
  /** Zip path of the capture's folder. */
  folder: string;
  /** Files of this capture in the bundle: its artifacts, then metadata.json. */
  files: ReportFile[];
  missing: MissingArtifact[];
  /** Artifacts left out by the export profile (they exist, and are in a police bundle). */
  omitted: ArtifactName[];
}

export interface ReportInput {
  caseName: string;
  onBehalfOf: string | null;
  exportedBy: string;
  exportedAt: string;
  tool: BundleTool;
  profile: ExportProfile;
  /** In bundle order; a profile nested in its post's folder follows the post. */
  captures: ReportCapture[];
  /** The bundle's custody log (stand-ins included); empty when the profile leaves it out. */
  custody: CustodyLogEntry[];
}

const KIND_NAMES: Record<Capture['kind'], string> = {
  post: 'Post',
  page: 'Web page',
  profile: 'Profile page',
  message: 'Message',
};

export function renderReport(input: ReportInput): string {
  const nested = nestedProfiles(input.captures);
  const primary = input.captures.filter((c) => !nested.isNested(c));
  const reports = reportsOf(input);
  const body = [
    renderCover(input, primary),
    renderSummary(input, primary),
    reports ? renderReportTracking(primary, reports) : '',
    ...primary.map((c, i) => renderCapture(c, i + 1, nested.childrenOf(c), reports)),
    input.profile === 'police' ? renderCustody(input) : '',
    renderWhereToReport(reportingForAll(input.captures.map((c) => c.capture.platform))),
    renderFooter(input),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence report: ${e(input.caseName)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

// ---------------------------------------------------------------------------
// Structure

/** Profile captures that sit in their post's folder (`<post>/profile`), found by folder, as the zip lays them out. */
function nestedProfiles(captures: readonly ReportCapture[]): {
  isNested(c: ReportCapture): boolean;
  childrenOf(c: ReportCapture): ReportCapture[];
} {
  const byFolder = new Map(captures.map((c) => [c.folder, c]));
  const parentOf = (c: ReportCapture): ReportCapture | undefined => {
    const slash = c.folder.lastIndexOf('/');
    const parent = slash > 0 ? byFolder.get(c.folder.slice(0, slash)) : undefined;
    return parent && parent.capture.id === c.capture.parentId ? parent : undefined;
  };
  return {
    isNested: (c) => parentOf(c) !== undefined,
    childrenOf: (p) => captures.filter((c) => parentOf(c) === p),
  };
}

function renderCover(input: ReportInput, primary: readonly ReportCapture[]): string {
  const onBehalfOf = input.onBehalfOf ?? distinct(input.captures.map((c) => c.capture.onBehalfOf)).join('; ');
  const profiles = input.captures.length - primary.length;
  const count = `${primary.length} ${plural(primary.length, 'capture')}${profiles ? `, with ${profiles} ${plural(profiles, 'profile page')} of their authors` : ''}`;
  return `<header class="cover">
<p class="kicker">Witness Box evidence report</p>
<h1>${e(input.caseName)}</h1>
<table class="facts">
${row('On behalf of', text(onBehalfOf || 'not recorded'))}
${row('Exported by', text(input.exportedBy))}
${row('Exported at', timeUtcHtml(input.exportedAt))}
${row('Bundle type', text(input.profile === 'police' ? 'Police (everything captured, with the custody log)' : 'Platform report (links, authors, times and screenshots)'))}
${row('Made with', text(toolLine(input.tool)))}
${row('Captures', text(count))}
</table>
<p class="note">This report summarises the bundle it came in. The evidence is the files in the <code>captures</code> folder; each file's SHA-256 fingerprint is listed here, in <code>manifest.json</code> and in <code>SHA256SUMS</code>, which anyone can check with <code>sha256sum -c SHA256SUMS</code> (see README.txt). Times marked <strong>UTC</strong> come from ${e(CLOCKS.capturedAt)}; times marked <strong>shown</strong> are ${e(CLOCKS.shownTime)}.</p>
</header>`;
}

function renderSummary(input: ReportInput, primary: readonly ReportCapture[]): string {
  return `<section class="summary">
<h2>Summary</h2>
${renderPerDayChart(primary.map((c) => c.capture.capturedAt))}
<div class="tables">
${renderPlatformCounts(input.captures)}
${renderAuthorCounts(primary)}
</div>
</section>`;
}

function renderPlatformCounts(captures: readonly ReportCapture[]): string {
  const kinds = Object.keys(KIND_NAMES) as Capture['kind'][];
  const byPlatform = new Map<string, Map<Capture['kind'], number>>();
  for (const { capture } of captures) {
    const counts = byPlatform.get(capture.platform) ?? new Map<Capture['kind'], number>();
    counts.set(capture.kind, (counts.get(capture.kind) ?? 0) + 1);
    byPlatform.set(capture.platform, counts);
  }
  const used = kinds.filter((k) => [...byPlatform.values()].some((m) => m.has(k)));
  const rows = [...byPlatform].map(([platform, counts]) => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return `<tr><th scope="row">${e(platformLabel(platform))}</th>${used.map((k) => `<td class="n">${counts.get(k) ?? 0}</td>`).join('')}<td class="n">${total}</td></tr>`;
  });
  return `<table class="counts" id="per-platform">
<caption>Captures per platform</caption>
<thead><tr><th scope="col">Platform</th>${used.map((k) => `<th scope="col" class="n">${e(KIND_NAMES[k])}s</th>`).join('')}<th scope="col" class="n">Total</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>`;
}

interface AuthorTally {
  platform: string;
  handle: string | null;
  names: string[];
  count: number;
  first: string;
  last: string;
}

function renderAuthorCounts(primary: readonly ReportCapture[]): string {
  const tallies = new Map<string, AuthorTally>();
  for (const { capture } of primary) {
    const { handle, displayName } = capture.author;
    const key = `${capture.platform}\u0000${handle !== null ? `@${handle.toLowerCase()}` : (displayName ?? '')}`;
    const t = tallies.get(key) ?? {
      platform: capture.platform,
      handle,
      names: [],
      count: 0,
      first: capture.capturedAt,
      last: capture.capturedAt,
    };
    if (displayName !== null && !t.names.includes(displayName)) t.names.push(displayName);
    t.count++;
    if (capture.capturedAt < t.first) t.first = capture.capturedAt;
    if (capture.capturedAt > t.last) t.last = capture.capturedAt;
    tallies.set(key, t);
  }
  const sorted = [...tallies.values()].sort((a, b) => b.count - a.count || a.first.localeCompare(b.first));
  const rows = sorted.map(
    (t) =>
      `<tr><td>${t.names.length ? t.names.map((n) => `<bdi>${e(n)}</bdi>`).join('<br>') : '<span class="none">no name shown</span>'}</td>` +
      `<td>${t.handle !== null ? `<bdi>@${e(t.handle)}</bdi>` : '<span class="none">none shown</span>'}</td>` +
      `<td>${e(platformLabel(t.platform))}</td><td class="n">${t.count}</td>` +
      `<td class="t">${e(utcDay(t.first))}${t.first.slice(0, 10) === t.last.slice(0, 10) ? '' : ` to ${e(utcDay(t.last))}`}</td></tr>`,
  );
  return `<table class="counts" id="per-author">
<caption>Captures per author</caption>
<thead><tr><th scope="col">Name shown</th><th scope="col">Handle</th><th scope="col">Platform</th><th scope="col" class="n">Captures</th><th scope="col">Captured (UTC days)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>`;
}

// ---------------------------------------------------------------------------
// Chart: captures per UTC day, as plain SVG (no script, prints as vectors).

const DAY_MS = 86_400_000;
/** Beyond this many days the bars would be hairlines: count per week instead. */
const MAX_DAILY_BARS = 92;

export interface ChartBucket {
  /** UTC date the bucket starts, YYYY-MM-DD. */
  start: string;
  count: number;
}

/** Every day (or week, for long spans) from the first capture to the last, empty ones included, so gaps show. */
export function captureBuckets(capturedAt: readonly string[]): { unit: 'day' | 'week'; buckets: ChartBucket[] } {
  const days = capturedAt
    .map((iso) => Date.parse(iso))
    .filter((ms) => !Number.isNaN(ms))
    .map((ms) => Math.floor(ms / DAY_MS));
  if (days.length === 0) return { unit: 'day', buckets: [] };
  const first = Math.min(...days);
  const last = Math.max(...days);
  const unit = last - first + 1 > MAX_DAILY_BARS ? 'week' : 'day';
  // Weeks start on Monday; day 0 (1970-01-01) was a Thursday.
  const startOf = (day: number): number => (unit === 'day' ? day : day - ((day + 3) % 7));
  const step = unit === 'day' ? 1 : 7;
  const counts = new Map<number, number>();
  for (const d of days) counts.set(startOf(d), (counts.get(startOf(d)) ?? 0) + 1);
  const buckets: ChartBucket[] = [];
  for (let d = startOf(first); d <= last; d += step) {
    buckets.push({ start: new Date(d * DAY_MS).toISOString().slice(0, 10), count: counts.get(d) ?? 0 });
  }
  return { unit, buckets };
}

/** Wide enough to read, narrow enough to print on A4: the plot is about this many pixels wide whatever the number of bars. */
const CHART_WIDTH = 640;

function renderPerDayChart(capturedAt: readonly string[]): string {
  const { unit, buckets } = captureBuckets(capturedAt);
  if (buckets.length === 0) return '';
  const max = Math.max(...buckets.map((b) => b.count));
  const step = Math.max(6, Math.min(64, Math.floor(CHART_WIDTH / buckets.length)));
  const gap = Math.max(1, Math.round(step / 5));
  const left = 34;
  const top = 16;
  const plot = 120;
  const width = left + buckets.length * step + 8;
  const height = top + plot + 34;
  // A date label is about 34px wide: label every bar when they fit, else every n-th.
  const labelEvery = Math.max(1, Math.ceil(40 / step));
  const bars = buckets.map((b, i) => {
    const h = b.count === 0 ? 0 : Math.max(2, Math.round((b.count / max) * plot));
    const x = left + i * step + gap / 2;
    const w = step - gap;
    const y = top + plot - h;
    const label = i % labelEvery === 0;
    const what = `${b.count} ${plural(b.count, 'capture')} ${unit === 'day' ? 'on' : 'in the week of'} ${b.start}`;
    return [
      `<g><title>${e(what)}</title><rect x="${x}" y="${y}" width="${w}" height="${h}" class="bar"/>`,
      b.count > 0 && step >= 16 ? `<text x="${x + w / 2}" y="${y - 3}" class="v">${b.count}</text>` : '',
      label ? `<text x="${x + w / 2}" y="${top + plot + 14}" class="d">${e(b.start.slice(5))}</text>` : '',
      '</g>',
    ].join('');
  });
  const caption = unit === 'day' ? 'Captures per day (UTC)' : 'Captures per week (UTC, weeks from Monday)';
  const span = `${buckets[0]?.start ?? ''} to ${buckets[buckets.length - 1]?.start ?? ''}`;
  return `<figure class="chart" id="per-day">
<figcaption>${e(caption)}, ${e(span)}; the busiest ${unit} had ${max}.</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(`${caption}, ${span}`)}">
<line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" class="axis"/>
<text x="${left - 6}" y="${top + 4}" class="y">${max}</text><text x="${left - 6}" y="${top + plot}" class="y">0</text>
${bars.join('\n')}
<text x="${left}" y="${height - 4}" class="d start">${e(buckets[0]?.start.slice(0, 4) ?? '')}</text>
</svg>
</figure>`;
}

// ---------------------------------------------------------------------------
// One capture

// ---------------------------------------------------------------------------
// Reports made about the captures (recorded as `reported` custody events)

/** Reports per capture id, from the bundle's custody log; null when the bundle carries no log (platform profile). */
function reportsOf(input: ReportInput): Map<string, CaptureReport[]> | null {
  const events = input.custody.filter((e): e is CustodyEvent => !isStandIn(e));
  if (events.length === 0) return null;
  return new Map(input.captures.map((c) => [c.capture.id, reportsFromCustody(c.capture.id, events)]));
}

function renderReportTracking(
  primary: readonly ReportCapture[],
  reports: ReadonlyMap<string, CaptureReport[]>,
): string {
  const unreported = primary.filter((c) => (reports.get(c.capture.id) ?? []).length === 0).length;
  return `<section class="reports-made" id="reports-made">
<h2>Reports made</h2>
<p>${unreported === 0 ? 'Every capture has at least one recorded report.' : `${unreported} of ${primary.length} ${plural(primary.length, 'capture')} ${unreported === 1 ? 'has' : 'have'} no recorded report to a platform or the police.`}</p>
</section>`;
}

function renderCaptureReports(reports: readonly CaptureReport[]): string {
  if (reports.length === 0)
    return '<h3>Reports made</h3>\n<p class="unreported">No report recorded for this capture.</p>';
  const rows = reports.map(
    (r) =>
      `<tr><td>${e(r.recipient)} <span class="clock">${e(r.recipientKind)}</span></td><td>${e(r.reportedAt)}</td><td>${r.reference ? `<code>${e(r.reference)}</code>` : none('none given')}</td><td>${r.outcome ? e(r.outcome) : none('not recorded')}</td></tr>`,
  );
  return `<h3>Reports made</h3>
<table class="reports"><thead><tr><th scope="col">To</th><th scope="col">When</th><th scope="col">Reference</th><th scope="col">Outcome</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderCapture(
  item: ReportCapture,
  n: number,
  profiles: readonly ReportCapture[],
  reports: ReadonlyMap<string, CaptureReport[]> | null = null,
): string {
  const c = item.capture;
  const who = authorHtml(c);
  const whole = c.kind === 'profile' || c.kind === 'page';
  const primaryImage = whole ? profileImage(item) : 'post.png';
  return `<section class="capture" id="capture-${n}">
<h2><span class="num">${n}.</span> ${e(KIND_NAMES[c.kind])} by ${who} on ${e(platformLabel(c.platform))}</h2>
${c.kind === 'profile' ? renderProfileInfo(c.profile) : ''}
${figure(item, primaryImage, PRIMARY_CAPTIONS[c.kind], 'shot')}
<table class="fields">
${captureFields(item)}
</table>
${c.text !== null ? `<h3>Text read from the page</h3>\n<blockquote class="text" dir="auto">${e(c.text)}</blockquote>` : ''}
${c.selectedText ? `<h3>Text the capturer had selected</h3>\n<blockquote class="text" dir="auto">${e(c.selectedText)}</blockquote>` : ''}
${reports ? renderCaptureReports(reports.get(c.id) ?? []) : ''}
${renderFiles(item)}
${profiles.map((p) => renderNestedProfile(p)).join('\n')}
${whole ? '' : figure(item, 'viewport.png', 'The whole browser window at the moment of capture', 'viewport')}
</section>`;
}

function captureFields(item: ReportCapture): string {
  const c = item.capture;
  return [
    row('Author', c.author.displayName !== null ? `<bdi>${e(c.author.displayName)}</bdi>` : none('no name shown')),
    row('Handle', c.author.handle !== null ? `<bdi>@${e(c.author.handle)}</bdi>` : none('none shown')),
    row('Profile URL', urlHtml(c.author.profileUrl)),
    c.conversation ? row('Conversation', conversationHtml(c.conversation)) : '',
    c.kind === 'profile' ? '' : row('Permalink', urlHtml(c.permalink)),
    c.permalink === c.url ? '' : row('Page address', urlHtml(c.url)),
    c.kind === 'profile' || c.kind === 'page' ? '' : row('Shown time', shownTimeHtml(c)),
    row('Captured at (UTC)', timeUtcHtml(c.capturedAt)),
    row(
      'Captured at (local)',
      `${e(localTime(c.capturedAtLocal, c.timeZone))} <span class="clock">this computer's clock</span>`,
    ),
    row('Captured by', text(c.capturedBy)),
    row('On behalf of', text(c.onBehalfOf)),
    row('How it was captured', text(`Witness Box ${c.extensionVersion} in ${c.browser} on ${c.os}`)),
    row('Capture id', `<code>${e(c.id)}</code>`),
    row('Folder', `<code>${e(item.folder)}/</code>`),
  ]
    .filter(Boolean)
    .join('\n');
}

const PRIMARY_CAPTIONS: Record<Capture['kind'], string> = {
  post: 'The post as it appeared on screen',
  message: 'The message as it appeared on screen',
  profile: 'The profile page as it appeared on screen',
  page: 'The page as it appeared on screen, top to bottom',
};

function conversationHtml(conversation: ConversationInfo): string {
  const title = conversation.title !== null ? `<bdi>${e(conversation.title)}</bdi>` : none('no name shown');
  const people = conversation.participants.length
    ? ` with ${conversation.participants.map((p) => `<bdi>${e(p)}</bdi>`).join(', ')}`
    : '';
  return `${title}${people}${conversation.url !== null ? `<br>${urlHtml(conversation.url)}` : ''}`;
}

function shownTimeHtml(c: Capture): string {
  const { raw, iso } = c.shownTime;
  // The adapters may record how a relative time ("2h") was turned into an ISO time.
  const rule = (c.shownTime as { rule?: unknown }).rule;
  if (raw === null && iso === null) return none('the page showed no time');
  const parts = [
    raw !== null ? `“<bdi>${e(raw)}</bdi>”` : none('no text shown'),
    iso !== null ? `<code>${e(iso)}</code>` : '',
    typeof rule === 'string' && rule ? `<span class="rule">worked out from the text: ${e(rule)}</span>` : '',
  ];
  return `${parts.filter(Boolean).join(' ')} <span class="clock">the platform's clock, as displayed; not checked</span>`;
}

function renderProfileInfo(profile: ProfileInfo | null): string {
  if (profile === null) return '';
  const optional = (label: string, value: string | null): string => (value === null ? '' : row(label, text(value)));
  const verified =
    profile.verified === null ? '' : row('Verified badge', text(profile.verified ? 'shown' : 'not shown'));
  return `<table class="fields profile-info">
<caption>What the profile page showed</caption>
${row('Account state', `<strong>${e(PROFILE_STATES[profile.state] ?? profile.state)}</strong>`)}
${optional('Name', profile.displayName)}
${profile.handle === null ? '' : row('Handle', `<bdi>@${e(profile.handle)}</bdi>`)}
${profile.profileUrl === null ? '' : row('Profile URL', urlHtml(profile.profileUrl))}
${profile.bio === null ? '' : row('Bio', `<span class="bio" dir="auto">${e(profile.bio)}</span>`)}
${optional('Followers', profile.followersShown)}
${optional('Following', profile.followingShown)}
${optional('Posts', profile.postsShown)}
${optional('Joined', profile.joinedShown)}
${optional('Account id', profile.accountId)}
${verified}
</table>`;
}

const PROFILE_STATES: Record<string, string> = {
  public: 'public: anyone could see it',
  protected: 'protected: only approved followers could see its posts',
  suspended: 'suspended by the platform',
  'not-found': 'not found: the account did not exist at capture time',
  'login-wall': 'behind a login wall',
  unknown: 'could not be determined',
};

function renderNestedProfile(item: ReportCapture): string {
  const c = item.capture;
  return `<div class="profile">
<h3>The author's profile page, captured ${e(utcShort(c.capturedAt))}</h3>
${renderProfileInfo(c.profile)}
${figure(item, profileImage(item), 'The profile page as it appeared on screen', 'shot')}
<table class="fields">
${row('Page address', urlHtml(c.url))}
${row('Captured at (UTC)', timeUtcHtml(c.capturedAt))}
${row('Captured at (local)', `${e(localTime(c.capturedAtLocal, c.timeZone))} <span class="clock">this computer's clock</span>`)}
${row('Captured by', text(c.capturedBy))}
${row('How it was captured', text(`Witness Box ${c.extensionVersion} in ${c.browser} on ${c.os}`))}
${row('Capture id', `<code>${e(c.id)}</code>`)}
${row('Folder', `<code>${e(item.folder)}/</code>`)}
</table>
${renderFiles(item)}
</div>`;
}

/** A profile's stitched full page when there is one, else its viewport. */
function profileImage(item: ReportCapture): string {
  return item.files.some((f) => f.name === 'fullpage.png') ? 'fullpage.png' : 'viewport.png';
}

function figure(item: ReportCapture, name: string, caption: string, className: string): string {
  if (!item.files.some((f) => f.name === name)) {
    const missing = item.missing.find((m) => m.name === name);
    return missing ? `<p class="nofig">No ${e(name)}: ${e(missing.reason)}.</p>` : '';
  }
  const src = `${item.folder}/${name}`;
  return `<figure class="${className}"><img src="${e(src)}" alt="${e(`${caption} (${name})`)}" decoding="async"><figcaption>${e(caption)}: <code>${e(src)}</code></figcaption></figure>`;
}

function renderFiles(item: ReportCapture): string {
  const rows = item.files.map(
    (f) =>
      `<tr><td><code>${e(f.name)}</code></td><td class="n">${f.bytes.toLocaleString('en-GB')}</td><td class="hash"><code>${e(f.sha256)}</code></td></tr>`,
  );
  const missing = item.missing.map((m) => `<li><code>${e(m.name)}</code>: ${e(m.reason)}</li>`);
  const omitted = item.omitted.length
    ? `<p class="omitted">Left out of this platform-report bundle (in the police bundle): ${item.omitted.map((n) => `<code>${e(n)}</code>`).join(', ')}.</p>`
    : '';
  return `<table class="files">
<caption>Files and their SHA-256 fingerprints</caption>
<thead><tr><th scope="col">File</th><th scope="col" class="n">Bytes</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
${missing.length ? `<div class="missing"><p>Not captured:</p><ul>${missing.join('')}</ul></div>` : ''}
${omitted}`;
}

// ---------------------------------------------------------------------------
// Custody log

function renderCustody(input: ReportInput): string {
  const folderOf = new Map(input.captures.map((c) => [c.capture.id, c.folder]));
  const entries = input.custody;
  const standIns = entries.filter(isStandIn).length;
  const rows: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as CustodyLogEntry;
    if (isStandIn(entry)) {
      let j = i;
      while (j + 1 < entries.length && isStandIn(entries[j + 1] as CustodyLogEntry)) j++;
      rows.push(standInRow(entry, entries[j] as CustodyStandIn));
      i = j;
      continue;
    }
    rows.push(eventRow(entry, folderOf));
  }
  const first = entries[0]?.seq;
  const last = entries[entries.length - 1]?.seq;
  return `<section class="custody" id="custody">
<h2>Custody log</h2>
<p>Everything done with these captures, in order: ${entries.length} ${plural(entries.length, 'event')}${first !== undefined ? ` (numbers ${first} to ${last})` : ''}. Each event records the SHA-256 of the one before it, so an event that was changed, removed or reordered breaks the chain. The chain was checked when this bundle was made; <code>custody-log.jsonl</code> holds the events themselves.</p>
${
  standIns
    ? `<p class="note">${standIns} ${plural(standIns, 'event')} concern other captures (for example in other cases) and are withheld: the bundle keeps only their number and the two fingerprints that link them into the chain. Their links can be checked; their own fingerprints cannot be recomputed, because their contents are not in the bundle.</p>`
    : ''
}
<table class="log">
<thead><tr><th scope="col" class="n">#</th><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Capture</th><th scope="col">Details</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
</section>`;
}

function eventRow(event: CustodyEvent, folderOf: ReadonlyMap<string, string>): string {
  const folder = event.captureId === null ? undefined : folderOf.get(event.captureId);
  const capture =
    event.captureId === null
      ? ''
      : folder !== undefined
        ? `<code>${e(folder.replace(/^captures\//, ''))}</code>`
        : `<code>${e(event.captureId)}</code>`;
  return `<tr><td class="n">${event.seq}</td><td class="t">${e(utcShort(event.at))}</td><td>${e(event.actor)}</td><td>${e(event.action)}</td><td>${capture}</td><td class="detail">${e(detailText(event))}</td></tr>`;
}

function standInRow(from: CustodyStandIn, to: CustodyStandIn): string {
  const range = from.seq === to.seq ? `${from.seq}` : `${from.seq}–${to.seq}`;
  return `<tr class="withheld"><td class="n">${range}</td><td colspan="5">withheld: about other captures (linked into the chain, contents not included)</td></tr>`;
}

const DETAIL_MAX = 300;

function detailText(event: CustodyEvent): string {
  const { note } = event.detail;
  const text = typeof note === 'string' ? note : canonicalJson(event.detail);
  return text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX)}…` : text;
}

// ---------------------------------------------------------------------------
// Where to report, footer

function renderWhereToReport(platforms: readonly PlatformReporting[]): string {
  const items = platforms.map(
    (p) =>
      `<li><strong>${e(p.name)}</strong>: ${e(p.howToReport)}${p.reportUrl ? ` Report: ${urlHtml(p.reportUrl)}.` : ''} Safety: ${urlHtml(p.safetyUrl)}.</li>`,
  );
  return `<section class="where" id="where-to-report">
<h2>Where to report</h2>
<p><strong>${e(POLICE_ADVICE.emergency)}</strong> ${e(POLICE_ADVICE.nonEmergency)}</p>
<ul>${items.join('\n')}</ul>
<p>${POLICE_ADVICE.links.map((l) => `${e(l.label)}: ${urlHtml(l.url)}`).join('<br>')}</p>
</section>`;
}

function renderFooter(input: ReportInput): string {
  return `<footer>
<p>Made by ${e(toolLine(input.tool))} at ${e(utcShort(input.exportedAt))}. This page runs no script and loads nothing from the internet; its links open only when clicked. Captured text is shown exactly as read from the page, as text.</p>
</footer>`;
}

// ---------------------------------------------------------------------------
// Small pieces

function row(label: string, valueHtml: string): string {
  return `<tr><th scope="row">${e(label)}</th><td>${valueHtml}</td></tr>`;
}

function text(value: string): string {
  return e(value);
}

function none(what: string): string {
  return `<span class="none">${e(what)}</span>`;
}

function authorHtml(c: Capture): string {
  const { displayName, handle } = c.author;
  if (displayName === null && handle === null) return 'an unknown author';
  const name = displayName !== null ? `<bdi>${e(displayName)}</bdi>` : '';
  const at = handle !== null ? `<bdi>@${e(handle)}</bdi>` : '';
  return name && at ? `${name} (${at})` : name || at;
}

function toolLine(tool: BundleTool): string {
  return `${tool.name} ${tool.version}, ${tool.browser}, ${tool.os}`;
}

function timeUtcHtml(iso: string): string {
  return `${e(utcShort(iso))} <code class="iso">${e(iso)}</code>`;
}

/** `2026-11-20 18:42:07 UTC`, or the text as given if it is not a time. */
export function utcShort(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

/** `2026-11-20 18:42:07 Europe/London (UTC+00:00)` from the recorded local time with its offset. */
export function localTime(local: string, timeZone: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(local);
  if (!m) return `${local} ${timeZone}`;
  const offset = m[3] === 'Z' ? '+00:00' : m[3];
  return `${m[1]} ${m[2]} ${timeZone} (UTC${offset})`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const STYLE = `
:root { color-scheme: light; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }
body { max-width: 980px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 26px; margin: 2px 0 12px; }
h2 { font-size: 20px; margin: 0 0 10px; border-bottom: 2px solid #1d3557; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.kicker { margin: 0; color: #1d3557; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; font-size: 12px; }
section, header { margin: 0 0 28px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; }
.facts th, .fields th { width: 11em; color: #444; font-weight: 600; }
.fields, .facts { width: 100%; }
.fields td, .facts td { overflow-wrap: anywhere; }
.counts, .files, .log { border-top: 1px solid #ccc; }
.counts td, .counts th, .files td, .files th, .log td, .log th { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; }
thead th { background: #f1f4f8; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
code, .hash, .iso, .url { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 0.86em; }
.hash code { overflow-wrap: anywhere; }
.iso { color: #555; margin-left: .4em; }
.url { overflow-wrap: anywhere; }
a { color: #1d3557; }
.none { color: #777; font-style: italic; }
.unreported { color: #a4161a; font-weight: 600; }
.clock, .rule { display: inline-block; color: #555; font-size: 0.82em; border: 1px solid #ccd; border-radius: 3px; padding: 0 4px; margin-left: 4px; }
.note { background: #f6f8fa; border-left: 3px solid #1d3557; padding: 8px 12px; }
.num { color: #1d3557; }
figure { margin: 10px 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #bbb; }
figure.viewport img { max-width: 100%; }
figcaption { font-size: 12px; color: #555; margin-top: 3px; overflow-wrap: anywhere; }
.nofig { color: #a4161a; font-weight: 600; }
blockquote.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 10px; padding: 8px 12px; border-left: 3px solid #999; background: #fafafa; }
.bio { white-space: pre-wrap; }
.profile { border: 1px solid #ccd; border-radius: 6px; padding: 4px 14px 8px; margin: 14px 0; }
.profile-info caption { color: #1d3557; }
.missing { color: #a4161a; }
.missing p { margin: 4px 0 0; font-weight: 600; }
.omitted { color: #555; }
.withheld td { color: #777; font-style: italic; }
.detail { overflow-wrap: anywhere; font-size: 0.9em; max-width: 28em; }
.t, .log .n, .log td:nth-child(3) { white-space: nowrap; }
.chart svg { max-width: 100%; height: auto; }
.chart .bar { fill: #1d3557; }
.chart .axis { stroke: #888; stroke-width: 1; }
.chart text { font: 10px system-ui, sans-serif; fill: #333; text-anchor: middle; }
.chart text.y { text-anchor: end; }
.chart text.start { text-anchor: start; fill: #777; }
.where li { margin-bottom: 4px; }
footer { color: #555; font-size: 12px; border-top: 1px solid #ccc; padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm 16mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt system-ui, sans-serif; color: #555; } }
@media print {
  :root { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  section.capture, section.custody, section.where { break-before: page; }
  h2, h3 { break-after: avoid; }
  figure, tr, .profile-info, .missing { break-inside: avoid; }
  figure.shot img { max-height: 150mm; width: auto; }
  figure.viewport img { max-height: 110mm; width: auto; }
  a { color: inherit; text-decoration: none; }
  .note { background: none; }
  thead th { background: none; }
}
`;
