import { conversationLine, describeReport, type Capture, type CaptureReport } from '../evidence/model';
import { exhibitKind } from './exhibit-facts';

/**
 * captures.csv: one row per capture (each an exhibit), for a spreadsheet or a platform's report
 * form. RFC 4180 (CRLF rows, quoted fields where needed, quotes doubled), UTF-8
 * with a byte-order mark so Excel reads accents and emoji right.
 */

export interface CsvCaptureRow {
  capture: Capture;
  /** Its exhibit reference (SO1); null when it has none. */
  exhibit: string | null;
  folder: string;
  /** SHA-256 of the capture's metadata.json as written into the bundle. */
  metadataSha256: string;
  /** Reports made about the capture (from its `reported` custody events). */
  reports?: readonly CaptureReport[];
  tags?: readonly string[];
  /** The notes added to it; null when the bundle leaves notes out (a platform report, unless chosen). */
  notes?: readonly string[] | null;
}

export const CSV_COLUMNS = [
  'exhibit reference',
  'kind',
  'platform',
  'author',
  'handle',
  'text',
  'shown time (as displayed)',
  'shown time (ISO)',
  'captured at (UTC)',
  'captured at (local)',
  'captured by',
  'on behalf of',
  'permalink',
  'tags',
  'notes',
  'reports made',
  'reports (to, when, reference, outcome)',
  'profile URL',
  'page URL',
  'conversation',
  'folder',
  'capture id',
  'metadata.json SHA-256',
] as const;

const BOM = '\uFEFF';

/**
 * A spreadsheet runs a cell starting with one of these as a formula
 * (`=HYPERLINK(...)`, `@SUM(...)`, DDE via `-cmd|...`), and several ignore
 * leading spaces first; a leading apostrophe makes it text. Captured text is
 * written by the abuser, so every cell is treated this way.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Many locales' spreadsheets split CSV on `;` (where `,` is the decimal mark)
 * and some on tabs, so a field is quoted when it holds any of the three, a
 * quote or a line break: it then stays one cell whichever separator is used.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One field, formula-neutralised, and quoted (quotes doubled, RFC 4180) when it holds a separator, quote or line break. */
export function csvField(value: string | null): string {
  const text = neutraliseFormula(value ?? '');
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(fields: readonly (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function renderCapturesCsv(rows: readonly CsvCaptureRow[]): string {
  const lines = rows.map(({ capture: c, exhibit, folder, metadataSha256, reports = [], tags = [], notes }) =>
    csvRow([
      exhibit,
      exhibitKind(c),
      c.platform,
      c.author.displayName,
      c.author.handle,
      c.text,
      c.shownTime.raw,
      c.shownTime.iso,
      c.capturedAt,
      `${c.capturedAtLocal} ${c.timeZone}`,
      c.capturedBy,
      c.onBehalfOf,
      c.permalink,
      tags.join('; '),
      notes === null ? 'withheld from this platform report' : (notes ?? []).join(' | '),
      String(reports.length),
      reports.map(describeReport).join('; '),
      c.author.profileUrl,
      c.url,
      c.conversation ? conversationLine(c.conversation) : null,
      folder,
      c.id,
      metadataSha256,
    ]),
  );
  return BOM + csvRow(CSV_COLUMNS) + lines.join('');
}
