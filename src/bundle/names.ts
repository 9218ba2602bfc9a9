import type { Capture } from '../evidence/model';

/**
 * File and folder names for the bundle. They must unzip unchanged on Windows,
 * macOS and Linux, and never depend on anything but their inputs, so the same
 * captures always give the same layout.
 */

/** Windows refuses these as a name's stem whatever the case or extension ("con.txt" too). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

const LAST_RESORT = '_';

/**
 * `s` as a single path segment: ASCII letters, digits, `-`, `_` and `.` only;
 * at most `maxLen` characters; never empty (then `fallback`, made safe the same way).
 */
export function safeSegment(s: string, maxLen: number, fallback = 'unnamed'): string {
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
  return cleanSegment(s, maxLen) || cleanSegment(fallback, maxLen) || LAST_RESORT;
}

function cleanSegment(s: string, maxLen: number): string {
  const ascii = s
    // Accented letters keep their base letter ("José" -> "Jose"), so names stay recognisable.
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/-{2,}/g, '-')
    // ".." inside a name is harmless to file systems but looks like path traversal to people and scanners.
    .replace(/\.{2,}/g, '.');
  const bounded = trimEnds(trimEnds(ascii).slice(0, maxLen));
  return isWindowsReserved(bounded) ? trimEnds(`_${bounded}`.slice(0, maxLen)) : bounded;
}

/** Leading dots hide files on Unix, trailing dots vanish on Windows, a leading dash reads as a command option. */
function trimEnds(s: string): string {
  return s.replace(/^[.-]+|[.-]+$/g, '');
}

function isWindowsReserved(name: string): boolean {
  const stem = name.split('.')[0] ?? '';
  return WINDOWS_RESERVED.test(stem);
}

/**
 * An instant as `20261120T184207Z` (ISO 8601 basic format, UTC): sorts by time,
 * and has no colons, which Windows forbids in names. Null if `iso` is not a time.
 */
export function compactUtc(iso: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const extended = new Date(ms).toISOString(); // 2026-11-20T18:42:07.123Z
  return `${extended.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

const UNDATED = 'undated';

/**
 * `0001-SO1-x-GazT_1977-20261120T184207Z`: position, exhibit reference (when
 * the capture has one), platform, handle, capture time.
 */
export function captureFolderName(
  index: number,
  capture: Pick<Capture, 'platform' | 'author' | 'capturedAt'>,
  exhibit?: string,
): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`index is 1-based, got ${index}`);
  return [
    String(index).padStart(4, '0'),
    ...(exhibit !== undefined ? [safeSegment(exhibit, 24, 'x')] : []),
    safeSegment(capture.platform, 16, 'unknown'),
    safeSegment(capture.author.handle ?? '', 40, 'unknown'),
    compactUtc(capture.capturedAt) ?? UNDATED,
  ].join('-');
}

/**
 * `witness-box-<case>-20261120T184207Z.zip`; a platform-report bundle says so:
 * `witness-box-<case>-platform-report-...`, and without the case name when the
 * report leaves names out (`caseName` null).
 */
export function bundleFileName(
  caseName: string | null,
  exportedAt: string,
  profile: 'police' | 'platform' = 'police',
): string {
  const kind = profile === 'platform' ? '-platform-report' : '';
  const name = caseName === null ? '' : `-${safeSegment(caseName, 60, 'case')}`;
  return `witness-box${name}${kind}-${compactUtc(exportedAt) ?? UNDATED}.zip`;
}
