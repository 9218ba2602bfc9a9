import { isStandIn, type CustodyLogEntry } from '../evidence/custody-chain';
import {
  CLOCKS,
  reportsFromCustody,
  type ArtifactName,
  type Capture,
  type CaptureReport,
  type CustodyEvent,
  type MissingArtifact,
} from '../evidence/model';
import type { ConversationInfo, ProfileInfo } from '../sites/types';
import { html, joinHtml, trustedHtml, urlHtml, type HtmlValue, type SafeHtml } from '../html';
import type { BundleIncludes, BundleTool, ExportProfile } from './export';
import {
  authorShort,
  countsLine,
  custodySentences,
  kindWord,
  exhibitDescription,
  peopleTime,
  plural,
  type BundleCounts,
  type ContinuityStep,
} from './exhibit-facts';
import { statementParagraphs, type ProducerStatement } from './statement';
import { platformLabel, POLICE_ADVICE, reportingForAll, type PlatformReporting } from './where-to-report';

/**
 * report.html: the bundle as a person reads it, and as it prints: an evidence
 * document with a cover, an exhibit index, each exhibit on its own page (or
 * two), then the draft statement, the custody log in sentences and the hash
 * chain in a compact appendix. Pure (data in, string out), self-contained,
 * with no script at all and a Content-Security-Policy that would stop one
 * anyway. Built only with the `html` tag, so every captured string is escaped;
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
  /** Its exhibit reference (SO1), or its folder number when it has none. */
  exhibit: string;
  /** Who held it, from capture to this bundle; empty when the bundle leaves names out. */
  continuity: ContinuityStep[];
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
  includes: BundleIncludes;
  /** The counts README.txt, manifest.json and captures.csv give. */
  counts: BundleCounts;
  /** SHA-256 of the signing key's DER; null for an unsigned bundle. */
  keyFingerprint: string | null;
  /** One draft statement per producer; empty in a platform report. */
  statements: ProducerStatement[];
  /** In bundle order; a profile follows the post it was captured for. */
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
  const reports = reportsOf(input);
  const exhibitOf = new Map(input.captures.map((c) => [c.capture.id, c]));
  const body = [
    renderCover(input),
    renderIndex(input),
    renderSummary(input),
    reports ? renderReportTracking(input.captures, reports) : '',
    input.captures.map((c, i) => renderExhibit(c, i + 1, exhibitOf, reports)),
    input.statements.length ? renderStatements(input.statements) : '',
    input.profile === 'police' ? renderCustody(input, exhibitOf) : '',
    input.profile === 'police' ? renderHashChain(input) : '',
    renderWhereToReport(reportingForAll(input.captures.map((c) => c.capture.platform))),
    renderFooter(input),
  ];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence report: ${input.caseName}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
${joinHtml(body, '\n')}
</body>
</html>
`.toString();
}

// ---------------------------------------------------------------------------
// Cover, index and summary

/** `AB12 CD34 …`: a fingerprint people can read to each other. */
export function groupedFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

function renderCover(input: ReportInput): SafeHtml {
  const names = input.includes.staffNames;
  const onBehalfOf = input.onBehalfOf ?? distinct(input.captures.map((c) => c.capture.onBehalfOf)).join('; ');
  const producers = distinct(input.captures.map((c) => c.capture.capturedBy)).join('; ');
  const times = input.captures.map((c) => c.capture.capturedAt).sort();
  const period = times.length
    ? `${utcShort(times[0] ?? '')} to ${utcShort(times[times.length - 1] ?? '')}`
    : 'no captures';
  const fingerprint = input.keyFingerprint;
  return html`<header class="cover">
<p class="kicker">Witness Box evidence report</p>
<h1>${input.caseName}</h1>
<div class="keep"><table class="facts" id="cover-facts">
${row('On behalf of', names ? onBehalfOf || 'not recorded' : 'withheld from this platform report')}
${row('Produced by', names ? producers : 'withheld from this platform report')}
${row('Exported by', input.exportedBy)}
${row('Exported at', timeUtcHtml(input.exportedAt))}
${row('Period covered', period)}
${row('Exhibits', countsLine(input.counts))}
${row('Bundle type', input.profile === 'police' ? 'Police (everything captured, with the custody log)' : 'Platform report (links, authors, times and screenshots)')}
${row('Made with', toolLine(input.tool))}
${row('Signing key', fingerprint ? html`<code class="fp">${groupedFingerprint(fingerprint)}</code>` : none('this bundle is not signed'))}
</table></div>
<h2 class="small">How to check this bundle</h2>
<ol class="verify">
<li>Unzip it, and in the unzipped folder run <code>sha256sum -c SHA256SUMS</code> (macOS: <code>shasum -a 256 -c SHA256SUMS</code>; Windows: see README.txt). Every line must end in OK.</li>
${
  fingerprint
    ? html`<li>Run <code>openssl dgst -sha256 -verify public-key.pem -signature manifest.sig manifest.json</code>: it must print <code>Verified OK</code>.</li>
<li>Run <code>openssl pkey -pubin -in public-key.pem -outform DER | sha256sum</code> and compare the result with the signing key above, and with the fingerprint the person who gave you the bundle reads out to you.</li>`
    : ''
}
<li>Or open it in Witness Box (<strong>Verify a bundle</strong>), which also checks each file against the fingerprint taken at capture and the custody log.</li>
</ol>
<p class="note">This report summarises the bundle it came in. The evidence is the files in the <code>captures</code> folder; each file's SHA-256 fingerprint is listed here, in <code>manifest.json</code> and in <code>SHA256SUMS</code>. Times marked <strong>UTC</strong> come from ${CLOCKS.capturedAt}; times marked <strong>shown</strong> are ${CLOCKS.shownTime}.</p>
</header>`;
}

const DESCRIPTION_MAX = 60;

function shortText(text: string | null, max: number): string {
  if (text === null) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "X", not "X (formerly Twitter)": the index has narrow columns. */
function shortPlatform(platform: string): string {
  return platformLabel(platform).replace(/ \(formerly [^)]*\)$/, '');
}

function renderIndex(input: ReportInput): SafeHtml {
  const rows = input.captures.map((item, i) => {
    const c = item.capture;
    const shown = c.kind === 'profile' || c.kind === 'page' ? '' : (c.shownTime.raw ?? c.shownTime.iso ?? '');
    const excerpt = shortText(c.text, DESCRIPTION_MAX);
    return html`<tr><td class="ref"><a href="#capture-${i + 1}">${item.exhibit}</a></td><td>${shortPlatform(c.platform)}</td><td><bdi>${authorShort(c)}</bdi></td><td>${shown ? html`<bdi>${shown}</bdi>` : none('none')}</td><td class="t">${utcShort(c.capturedAt)}</td><td>${kindWord(c)}${excerpt ? html`: <q dir="auto">${excerpt}</q>` : ''}</td></tr>`;
  });
  return html`<section class="index" id="exhibit-index">
<h2>Exhibit index</h2>
<p>${countsLine(input.counts)}.</p>
<table class="exhibits">
<thead><tr><th scope="col">Exhibit</th><th scope="col">Platform</th><th scope="col">Author</th><th scope="col">Shown time</th><th scope="col">Captured at (UTC)</th><th scope="col">What it is</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}

function renderSummary(input: ReportInput): SafeHtml {
  const primary = input.captures.filter((c) => c.capture.kind !== 'profile');
  return html`<section class="summary">
<h2>Summary</h2>
${renderPerDayChart(primary.map((c) => c.capture.capturedAt))}
<div class="tables">
${renderPlatformCounts(input.captures)}
${renderAuthorCounts(primary)}
</div>
</section>`;
}

function renderPlatformCounts(captures: readonly ReportCapture[]): SafeHtml {
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
    return html`<tr><th scope="row">${platformLabel(platform)}</th>${used.map((k) => html`<td class="n">${counts.get(k) ?? 0}</td>`)}<td class="n">${total}</td></tr>`;
  });
  return html`<table class="counts" id="per-platform">
<caption>Captures per platform</caption>
<thead><tr><th scope="col">Platform</th>${used.map((k) => html`<th scope="col" class="n">${KIND_NAMES[k]}s</th>`)}<th scope="col" class="n">Total</th></tr></thead>
<tbody>${rows}</tbody>
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

function renderAuthorCounts(primary: readonly ReportCapture[]): SafeHtml {
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
      html`<tr><td>${
        t.names.length
          ? joinHtml(
              t.names.map((n) => html`<bdi>${n}</bdi>`),
              html`<br>`,
            )
          : none('no name shown')
      }</td><td>${t.handle !== null ? html`<bdi>@${t.handle}</bdi>` : none('none shown')}</td><td>${platformLabel(t.platform)}</td><td class="n">${t.count}</td><td class="t">${utcDay(t.first)}${t.first.slice(0, 10) === t.last.slice(0, 10) ? '' : ` to ${utcDay(t.last)}`}</td></tr>`,
  );
  return html`<table class="counts" id="per-author">
<caption>Captures per author</caption>
<thead><tr><th scope="col">Name shown</th><th scope="col">Handle</th><th scope="col">Platform</th><th scope="col" class="n">Captures</th><th scope="col">Captured (UTC days)</th></tr></thead>
<tbody>${rows}</tbody>
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

function renderPerDayChart(capturedAt: readonly string[]): HtmlValue {
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
      html`<g><title>${what}</title><rect x="${x}" y="${y}" width="${w}" height="${h}" class="bar"/>`,
      b.count > 0 && step >= 16 ? html`<text x="${x + w / 2}" y="${y - 3}" class="v">${b.count}</text>` : '',
      label ? html`<text x="${x + w / 2}" y="${top + plot + 14}" class="d">${b.start.slice(5)}</text>` : '',
      html`</g>`,
    ];
  });
  const caption = unit === 'day' ? 'Captures per day (UTC)' : 'Captures per week (UTC, weeks from Monday)';
  const span = `${buckets[0]?.start ?? ''} to ${buckets[buckets.length - 1]?.start ?? ''}`;
  return html`<figure class="chart" id="per-day">
<figcaption>${caption}, ${span}; the busiest ${unit} had ${max}.</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${`${caption}, ${span}`}">
<line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" class="axis"/>
<text x="${left - 6}" y="${top + 4}" class="y">${max}</text><text x="${left - 6}" y="${top + plot}" class="y">0</text>
${bars}
<text x="${left}" y="${height - 4}" class="d start">${buckets[0]?.start.slice(0, 4) ?? ''}</text>
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
): SafeHtml {
  const unreported = primary.filter((c) => (reports.get(c.capture.id) ?? []).length === 0).length;
  return html`<section class="reports-made" id="reports-made">
<h2>Reports made</h2>
<p>${unreported === 0 ? 'Every capture has at least one recorded report.' : `${unreported} of ${primary.length} ${plural(primary.length, 'capture')} ${unreported === 1 ? 'has' : 'have'} no recorded report to a platform or the police.`}</p>
</section>`;
}

function renderCaptureReports(reports: readonly CaptureReport[]): SafeHtml {
  if (reports.length === 0)
    return html`<h3>Reports made</h3>
<p class="unreported">No report recorded for this capture.</p>`;
  const rows = reports.map(
    (r) =>
      html`<tr><td>${r.recipient} <span class="clock">${r.recipientKind}</span></td><td>${r.reportedAt}</td><td>${r.reference ? html`<code>${r.reference}</code>` : none('none given')}</td><td>${r.outcome ? r.outcome : none('not recorded')}</td></tr>`,
  );
  return html`<h3>Reports made</h3>
<table class="reports"><thead><tr><th scope="col">To</th><th scope="col">When</th><th scope="col">Reference</th><th scope="col">Outcome</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

// ---------------------------------------------------------------------------
// One exhibit: its own page, or two

/** Longer texts are cut in the report (it must print in two pages); metadata.json and the CSV hold them whole. */
const REPORT_TEXT_MAX = 2500;

function renderExhibit(
  item: ReportCapture,
  n: number,
  exhibitOf: ReadonlyMap<string, ReportCapture>,
  reports: ReadonlyMap<string, CaptureReport[]> | null,
): SafeHtml {
  const c = item.capture;
  const whole = c.kind === 'profile' || c.kind === 'page';
  const primaryImage = whole ? profileImage(item) : 'post.png';
  const parent = c.parentId ? exhibitOf.get(c.parentId) : undefined;
  const profiles = [...exhibitOf.values()].filter((p) => p.capture.parentId === c.id && p.capture.kind === 'profile');
  const related = [
    parent
      ? html`Captured as the author's profile page for exhibit <a href="#${anchorOf(exhibitOf, parent)}">${parent.exhibit}</a>.`
      : '',
    profiles.length
      ? html`The author's profile page: exhibit ${joinHtml(
          profiles.map((p) => html`<a href="#${anchorOf(exhibitOf, p)}">${p.exhibit}</a>`),
          ', ',
        )}.`
      : '',
  ].filter((x) => x !== '');
  return html`<section class="capture exhibit" id="capture-${n}" data-exhibit="${item.exhibit}">
<h2><span class="ref">Exhibit ${item.exhibit}</span> ${KIND_NAMES[c.kind]} by ${authorHtml(c)} on ${platformLabel(c.platform)}</h2>
${related.length ? html`<p class="related">${joinHtml(related, ' ')}</p>` : ''}
${figure(item, primaryImage, PRIMARY_CAPTIONS[c.kind], 'shot')}
<div class="keep"><table class="fields">
${captureFields(item)}
</table></div>
${c.kind === 'profile' ? html`<div class="keep">${renderProfileInfo(c.profile)}</div>` : ''}
${c.text !== null ? html`<h3>Text read from the page</h3>\n${textBlock(c.text)}` : ''}
${c.selectedText ? html`<h3>Text the capturer had selected</h3>\n${textBlock(c.selectedText)}` : ''}
${item.continuity.length ? renderContinuity(item.continuity) : ''}
${reports ? renderCaptureReports(reports.get(c.id) ?? []) : ''}
${renderFiles(item)}
${whole ? '' : figure(item, 'viewport.png', 'The whole browser window at the moment of capture', 'viewport')}
</section>`;
}

function anchorOf(exhibitOf: ReadonlyMap<string, ReportCapture>, item: ReportCapture): string {
  return `capture-${[...exhibitOf.values()].indexOf(item) + 1}`;
}

function textBlock(text: string): SafeHtml {
  const cut = text.length > REPORT_TEXT_MAX;
  return html`<blockquote class="text" dir="auto">${cut ? text.slice(0, REPORT_TEXT_MAX) : text}</blockquote>${
    cut
      ? html`<p class="cut">The text is ${text.length.toLocaleString('en-GB')} characters long; the first ${REPORT_TEXT_MAX.toLocaleString('en-GB')} are shown here. <code>metadata.json</code> and <code>captures.csv</code> hold all of it.</p>`
      : ''
  }`;
}

function captureFields(item: ReportCapture): SafeHtml {
  const c = item.capture;
  return html`${[
    row('Exhibit reference', html`<strong>${item.exhibit}</strong>`),
    row('Author', c.author.displayName !== null ? html`<bdi>${c.author.displayName}</bdi>` : none('no name shown')),
    row('Handle', c.author.handle !== null ? html`<bdi>@${c.author.handle}</bdi>` : none('none shown')),
    row('Profile URL', urlHtml(c.author.profileUrl)),
    c.conversation ? row('Conversation', conversationHtml(c.conversation)) : '',
    c.kind === 'profile' ? '' : row('Permalink', urlHtml(c.permalink)),
    c.permalink === c.url ? '' : row('Page address', urlHtml(c.url)),
    c.kind === 'profile' || c.kind === 'page' ? '' : row('Shown time', shownTimeHtml(c)),
    row('Captured at (UTC)', timeUtcHtml(c.capturedAt)),
    row(
      'Captured at (local)',
      html`${localTime(c.capturedAtLocal, c.timeZone)} <span class="clock">this computer's clock</span>`,
    ),
    row('Captured by', c.capturedBy),
    row('On behalf of', c.onBehalfOf),
    row('How it was captured', `Witness Box ${c.extensionVersion} in ${c.browser} on ${c.os}`),
    row('Capture id', html`<code>${c.id}</code>`),
    row('Folder', html`<code>${item.folder}/</code>`),
  ]}`;
}

const CONTINUITY_WORDS: Record<ContinuityStep['what'], string> = {
  captured: 'Captured',
  imported: 'Imported',
  exported: 'Exported',
};

function renderContinuity(steps: readonly ContinuityStep[]): SafeHtml {
  const rows = steps.map(
    (s) =>
      html`<tr><td>${CONTINUITY_WORDS[s.what]}</td><td>${s.by}</td><td class="t">${peopleTime(s.at)}</td><td>${s.fileName ? html`<code>${s.fileName}</code>` : ''}</td></tr>`,
  );
  return html`<div class="keep"><h3>Continuity</h3>
<table class="continuity"><thead><tr><th scope="col">What</th><th scope="col">By</th><th scope="col">When</th><th scope="col">Bundle</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

const PRIMARY_CAPTIONS: Record<Capture['kind'], string> = {
  post: 'The post as it appeared on screen',
  message: 'The message as it appeared on screen',
  profile: 'The profile page as it appeared on screen',
  page: 'The page as it appeared on screen, top to bottom',
};

function conversationHtml(conversation: ConversationInfo): SafeHtml {
  const title = conversation.title !== null ? html`<bdi>${conversation.title}</bdi>` : none('no name shown');
  const people = conversation.participants.length
    ? html` with ${joinHtml(
        conversation.participants.map((p) => html`<bdi>${p}</bdi>`),
        ', ',
      )}`
    : '';
  return html`${title}${people}${conversation.url !== null ? html`<br>${urlHtml(conversation.url)}` : ''}`;
}

function shownTimeHtml(c: Capture): SafeHtml {
  const { raw, iso } = c.shownTime;
  // The adapters may record how a relative time ("2h") was turned into an ISO time.
  const rule = (c.shownTime as { rule?: unknown }).rule;
  if (raw === null && iso === null) return none('the page showed no time');
  const parts = [
    raw !== null ? html`“<bdi>${raw}</bdi>”` : none('no text shown'),
    iso !== null ? html`<code>${iso}</code>` : '',
    typeof rule === 'string' && rule ? html`<span class="rule">worked out from the text: ${rule}</span>` : '',
  ];
  return html`${joinHtml(parts.filter(Boolean), ' ')} <span class="clock">the platform's clock, as displayed; not checked</span>`;
}

function renderProfileInfo(profile: ProfileInfo | null): HtmlValue {
  if (profile === null) return '';
  const optional = (label: string, value: string | null): HtmlValue => (value === null ? '' : row(label, value));
  const verified = profile.verified === null ? '' : row('Verified badge', profile.verified ? 'shown' : 'not shown');
  return html`<table class="fields profile-info">
<caption>What the profile page showed</caption>
${row('Account state', html`<strong>${PROFILE_STATES[profile.state] ?? profile.state}</strong>`)}
${optional('Name', profile.displayName)}
${profile.handle === null ? '' : row('Handle', html`<bdi>@${profile.handle}</bdi>`)}
${profile.profileUrl === null ? '' : row('Profile URL', urlHtml(profile.profileUrl))}
${profile.bio === null ? '' : row('Bio', html`<span class="bio" dir="auto">${profile.bio}</span>`)}
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

/** A profile's stitched full page when there is one, else its viewport. */
function profileImage(item: ReportCapture): string {
  return item.files.some((f) => f.name === 'fullpage.png') ? 'fullpage.png' : 'viewport.png';
}

function figure(item: ReportCapture, name: string, caption: string, className: string): HtmlValue {
  if (!item.files.some((f) => f.name === name)) {
    const missing = item.missing.find((m) => m.name === name);
    return missing ? html`<p class="nofig">No ${name}: ${missing.reason}.</p>` : '';
  }
  const src = `${item.folder}/${name}`;
  return html`<figure class="${className}"><img src="${src}" alt="${`${caption} (${name})`}" decoding="async"><figcaption>${caption}: <code>${src}</code></figcaption></figure>`;
}

function renderFiles(item: ReportCapture): SafeHtml {
  const rows = item.files.map(
    (f) =>
      html`<tr><td><code>${f.name}</code></td><td class="n">${f.bytes.toLocaleString('en-GB')}</td><td class="hash"><code>${f.sha256}</code></td></tr>`,
  );
  const missing = item.missing.map((m) => html`<li><code>${m.name}</code>: ${m.reason}</li>`);
  const omitted = item.omitted.length
    ? html`<p class="omitted">Left out of this platform-report bundle (in the police bundle): ${joinHtml(
        item.omitted.map((n) => html`<code>${n}</code>`),
        ', ',
      )}.</p>`
    : '';
  return html`<table class="files">
<caption>Files and their SHA-256 fingerprints</caption>
<thead><tr><th scope="col">File</th><th scope="col" class="n">Bytes</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${rows}</tbody>
</table>
${missing.length ? html`<div class="missing"><p>Not captured:</p><ul>${missing}</ul></div>` : ''}
${omitted}`;
}

// ---------------------------------------------------------------------------
// Appendix: the draft statement, the custody log in sentences, the hash chain

function renderStatements(statements: readonly ProducerStatement[]): SafeHtml {
  return html`<section class="statements appendix" id="statement">
<h2>Draft exhibit statement</h2>
<p class="note">Drafted by Witness Box from what it recorded, for an officer to adapt into the witness statement form (MG11). It is not a signed statement: the witness must read, correct and sign the final version. The same text is in <code>statement.txt</code>.</p>
${statements.map(
  (s) => html`<article class="statement">
<h3>Statement of ${s.fields.name}${s.edited ? '' : html` <span class="none">(not yet edited by them)</span>`}</h3>
${statementParagraphs(s).map((p) => html`<p>${p}</p>`)}
</article>`,
)}
</section>`;
}

function renderCustody(input: ReportInput, exhibitOf: ReadonlyMap<string, ReportCapture>): SafeHtml {
  const entries = input.custody;
  const sentences = custodySentences(
    entries,
    (id) => (id === null ? null : (exhibitOf.get(id)?.exhibit ?? null)),
    (id) => exhibitOf.get(id)?.capture,
  );
  const first = entries[0]?.seq;
  const last = entries[entries.length - 1]?.seq;
  return html`<section class="custody appendix" id="custody">
<h2>Custody log</h2>
<p>Everything done with these exhibits, in order: ${entries.length} ${plural(entries.length, 'event')}${first !== undefined ? ` (numbers ${first} to ${last})` : ''}. Times are UTC (GMT), by the clock of the computer that recorded each event. The fingerprints that chain the events are listed in the next appendix; <code>custody-log.jsonl</code> holds the events themselves.</p>
<ol class="log">
${sentences.map(
  (s) =>
    html`<li class="${s.at === null ? 'withheld' : 'event'}"><span class="n">${s.seq}.</span> ${s.at !== null ? html`<span class="t">${peopleTime(s.at)}</span> — ` : ''}${s.text}</li>`,
)}
</ol>
</section>`;
}

function renderHashChain(input: ReportInput): SafeHtml {
  const entries = input.custody;
  const standIns = entries.filter(isStandIn).length;
  const rows = entries.map(
    (e) =>
      html`<tr><td class="n">${e.seq}</td><td>${isStandIn(e) ? 'withheld' : e.action}</td><td class="hash"><code>${e.hash}</code></td></tr>`,
  );
  return html`<section class="chain appendix" id="hash-chain">
<h2>Appendix: the hash chain</h2>
<p>Each event's fingerprint (SHA-256) covers its contents and the fingerprint of the event before it, so an event that was changed, removed or reordered breaks the chain from there on. The first event follows <code>${entries[0]?.prevHash ?? ''}</code>. The chain was checked when this bundle was made; <strong>Verify a bundle</strong> in Witness Box checks it again.</p>
${standIns ? html`<p class="note">${standIns} ${plural(standIns, 'event')} concern other captures (for example in other cases) and are withheld: the bundle keeps only their number and the two fingerprints that link them into the chain. Their links can be checked; their own fingerprints cannot be recomputed, because their contents are not in the bundle.</p>` : ''}
<table class="hashes">
<thead><tr><th scope="col" class="n">#</th><th scope="col">Event</th><th scope="col">Fingerprint (SHA-256)</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}

// ---------------------------------------------------------------------------
// Where to report, footer

function renderWhereToReport(platforms: readonly PlatformReporting[]): SafeHtml {
  const items = platforms.map(
    (p) =>
      html`<li><strong>${p.name}</strong>: ${p.howToReport}${p.reportUrl ? html` Report: ${urlHtml(p.reportUrl)}.` : ''} Safety: ${urlHtml(p.safetyUrl)}.</li>`,
  );
  return html`<section class="where" id="where-to-report">
<h2>Where to report</h2>
<p><strong>${POLICE_ADVICE.emergency}</strong> ${POLICE_ADVICE.nonEmergency}</p>
<ul>${items}</ul>
<p>${joinHtml(
    POLICE_ADVICE.links.map((l) => html`${l.label}: ${urlHtml(l.url)}`),
    html`<br>`,
  )}</p>
</section>`;
}

function renderFooter(input: ReportInput): SafeHtml {
  return html`<footer>
<p>Made by ${toolLine(input.tool)} at ${utcShort(input.exportedAt)}. This page runs no script and loads nothing from the internet; its links open only when clicked. Captured text is shown exactly as read from the page, as text.</p>
</footer>`;
}

// ---------------------------------------------------------------------------
// Small pieces

function row(label: string, valueHtml: HtmlValue): SafeHtml {
  return html`<tr><th scope="row">${label}</th><td>${valueHtml}</td></tr>`;
}

function none(what: string): SafeHtml {
  return html`<span class="none">${what}</span>`;
}

function authorHtml(c: Capture): SafeHtml {
  const { displayName, handle } = c.author;
  if (displayName === null && handle === null) return html`an unknown author`;
  const name = html`<bdi>${displayName}</bdi>`;
  const at = html`<bdi>@${handle}</bdi>`;
  if (displayName === null) return at;
  return handle === null ? name : html`${name} (${at})`;
}

function toolLine(tool: BundleTool): string {
  return `${tool.name} ${tool.version}, ${tool.browser}, ${tool.os}`;
}

function timeUtcHtml(iso: string): SafeHtml {
  return html`${utcShort(iso)} <code class="iso">${iso}</code>`;
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
.withheld, .withheld td { color: #777; font-style: italic; }
.t { white-space: nowrap; }
h2.small { font-size: 16px; border: none; margin-top: 16px; }
h2 .ref { color: #1d3557; margin-right: .3em; }
.ref { font-weight: 700; white-space: nowrap; }
.related { margin: 0 0 6px; color: #333; }
.cut { color: #555; font-size: 0.9em; }
.verify li { margin-bottom: 4px; }
.verify code, .fp { overflow-wrap: anywhere; }
.exhibits { width: 100%; border-top: 1px solid #ccc; font-size: 0.92em; }
.exhibits td, .exhibits th { border-bottom: 1px solid #e3e3e3; padding: 3px 6px; }
.exhibits q { color: #333; overflow-wrap: anywhere; }
.continuity td, .continuity th, .reports td, .reports th { border-bottom: 1px solid #e3e3e3; padding: 2px 8px 2px 0; font-size: 0.92em; }
.statement p { max-width: 46em; }
ol.log { list-style: none; padding: 0; margin: 0; }
ol.log li { margin: 0 0 3px; padding-left: 3.2em; text-indent: -3.2em; overflow-wrap: anywhere; }
ol.log .n { display: inline-block; width: 3em; text-indent: 0; text-align: right; padding-right: .2em; color: #555; font-variant-numeric: tabular-nums; }
.hashes td, .hashes th { padding: 0 10px 0 0; border: none; }
.hashes td.hash code, .hashes td { white-space: nowrap; }
.hashes { font-size: 0.8em; }
.files td.hash code { white-space: nowrap; }
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
  section.index, section.capture, section.statements, section.custody, section.chain { break-before: page; }
  header.cover { break-after: page; }
  h2, h3 { break-after: avoid; }
  /* A fact table is never split over two pages: a reader must see an exhibit's facts together. */
  figure, tr, li, .keep, table.fields, table.facts, table.files, .profile-info, .missing { break-inside: avoid; }
  figure.shot img { max-height: 105mm; width: auto; }
  figure.viewport img { max-height: 80mm; width: auto; }
  .files { font-size: 8pt; }
  .hashes { font-size: 6.5pt; }
  .exhibits { font-size: 8pt; }
  .exhibits td, .exhibits th { padding: 1px 5px; }
  ol.log { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
  .note { background: none; }
  thead th { background: none; }
}
`;
