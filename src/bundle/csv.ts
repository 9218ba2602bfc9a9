import { conversationLine, describeReport, type Capture, type CaptureReport } from '../evidence/model';

/**
 * captures.csv: one row per capture, for a spreadsheet or a platform's report
 * form. RFC 4180 (CRLF rows, quoted fields where needed, quotes doubled), UTF-8
 * with a byte-order mark so Excel reads accents and emoji right.
 */

export interface CsvCaptureRow {
  capture: Capture;
  folder: string;
  /** SHA-256 of the capture's metadata.json as written into the bundle. */
  metadataSha256: string;
  /**
   * Reports made about the capture (from its `reported` custody events). When
   * any row carries this, the CSV gains REPORT_COLUMNS, so a staffer can sort
   * by what is still unreported; rows without it leave those cells empty.
   */
  reports?: readonly CaptureReport[];
}

export const REPORT_COLUMNS = ['reports made', 'reports (to, when, reference, outcome)'] as const;

export const CSV_COLUMNS = [
  'platform',
  'kind',
  'author',
  'handle',
  'profile URL',
  'permalink',
  'page URL',
  'conversation',
  'shown time (as displayed)',
  'shown time (ISO)',
  'captured at (UTC)',
  'captured by',
  'on behalf of',
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
  const withReports = rows.some((r) => r.reports !== undefined);
  const reportCells = (reports: readonly CaptureReport[] | undefined): (string | null)[] =>
    !withReports
      ? []
      : reports === undefined
        ? [null, null]
        : [String(reports.length), reports.map(describeReport).join('; ')];
  const lines = rows.map(({ capture: c, folder, metadataSha256, reports }) =>
    csvRow([
      c.platform,
      c.kind,
      c.author.displayName,
      c.author.handle,
      c.author.profileUrl,
      c.permalink,
      c.url,
      c.conversation ? conversationLine(c.conversation) : null,
      c.shownTime.raw,
      c.shownTime.iso,
      c.capturedAt,
      c.capturedBy,
      c.onBehalfOf,
      folder,
      c.id,
      metadataSha256,
      ...reportCells(reports),
    ]),
  );
  return BOM + csvRow(withReports ? [...CSV_COLUMNS, ...REPORT_COLUMNS] : CSV_COLUMNS) + lines.join('');
}
