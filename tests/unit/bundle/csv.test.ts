import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, neutraliseFormula, renderCapturesCsv } from '../../../src/bundle/csv';
import { makeCapture } from '../factories';

/**
 * A strict RFC 4180 reader, to prove the writer's output parses back to the
 * same cells; with `separator`, it reads the file as a spreadsheet set to
 * that list separator would (`;` in much of Europe, tab in some imports).
 */
function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) (row.push(field), (field = ''));
    else if (c === '\r' && text[i + 1] === '\n') (row.push(field), rows.push(row), (row = []), (field = ''), i++);
    else field += c;
  }
  if (field !== '' || row.length) throw new Error('last row not terminated by CRLF');
  return rows;
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['semi;colon', '"semi;colon"'],
    ['tab\there', '"tab\there"'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes null as an empty cell', () => {
    expect(csvField(null)).toBe('');
  });
});

describe('neutraliseFormula', () => {
  it.each([
    '=HYPERLINK("http://evil","click")',
    '+1+1',
    '-2+3',
    '@SUM(A1)',
    '\t=1',
    '\r=1',
    ' =1',
    '\n\n@x',
    '\uFF1D1',
  ])('puts an apostrophe before %j', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['GazT_1977', 'https://x.com/a', '2026-11-20T18:42:07.123Z', 'a =not first', "'already"])(
    'leaves %j alone',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(cell);
    },
  );
});

describe('renderCapturesCsv', () => {
  it('starts with a BOM and a header, one CRLF row per capture, that parse back to the values', () => {
    const c = makeCapture({ id: 'c1' });
    const csv = renderCapturesCsv([
      {
        capture: c,
        exhibit: 'VA1',
        folder: 'captures/0001-x',
        metadataSha256: 'ab'.repeat(32),
        tags: ['threat', 'pile-on'],
        notes: ['Seen by the agent', 'Reported'],
        reports: [
          {
            reportId: 'r1',
            recipientKind: 'platform',
            recipient: 'X',
            reportedAt: '2026-11-21',
            reference: '123',
            outcome: '',
          },
        ],
      },
    ]);
    expect(csv.startsWith('\uFEFFexhibit reference,kind,platform,author,')).toBe(true);
    const [header, row, ...rest] = parseCsv(csv.slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rest).toEqual([]);
    expect(Object.fromEntries(CSV_COLUMNS.map((col, i) => [col, row?.[i]]))).toEqual({
      'exhibit reference': 'VA1',
      kind: 'post',
      platform: 'x',
      author: 'Gaz T',
      handle: 'GazT_1977',
      text: c.text,
      'shown time (as displayed)': '6:41 PM · Nov 20, 2026',
      'shown time (ISO)': '2026-11-20T18:41:00.000Z',
      'captured at (UTC)': '2026-11-20T18:42:07.123Z',
      'captured at (local)': `${c.capturedAtLocal} Europe/London`,
      'captured by': 'Volunteer A',
      'on behalf of': 'Cllr Jane Example',
      permalink: 'https://x.com/GazT_1977/status/1858912345678901234',
      tags: 'threat; pile-on',
      notes: 'Seen by the agent | Reported',
      'reports made': '1',
      'reports (to, when, reference, outcome)': 'X, 2026-11-21, ref 123, outcome not recorded',
      'profile URL': 'https://x.com/GazT_1977',
      'page URL': 'https://x.com/GazT_1977/status/1858912345678901234',
      conversation: '',
      folder: 'captures/0001-x',
      'capture id': 'c1',
      'metadata.json SHA-256': 'ab'.repeat(32),
    });
  });

  it.each([
    [{ kind: 'post', isReply: false, platform: 'x' }, 'post'],
    [{ kind: 'post', isReply: true, platform: 'x' }, 'reply'],
    [{ kind: 'post', isReply: true, platform: 'reddit' }, 'comment'],
    [{ kind: 'message', isReply: false, platform: 'x' }, 'message'],
    [{ kind: 'profile', isReply: false, platform: 'x' }, 'profile'],
    [{ kind: 'page', isReply: false, platform: 'generic' }, 'page'],
  ] as const)('kind of %j is %j', (fields, kind) => {
    const [header, row] = parseCsv(
      renderCapturesCsv([
        { capture: makeCapture(fields), exhibit: null, folder: 'f', metadataSha256: '0'.repeat(64) },
      ]).slice(1),
    );
    expect(row?.[header?.indexOf('kind') ?? -1]).toBe(kind);
  });

  it('says notes are withheld when the bundle leaves them out', () => {
    const [header, row] = parseCsv(
      renderCapturesCsv([
        { capture: makeCapture(), exhibit: 'VA1', folder: 'f', metadataSha256: '0'.repeat(64), notes: null },
      ]).slice(1),
    );
    expect(row?.[header?.indexOf('notes') ?? -1]).toBe('withheld from this platform report');
  });

  it('names the conversation a direct message was read from', () => {
    const message = makeCapture({
      kind: 'message',
      conversation: { title: 'Gary Thornbury', url: 'https://x.com/messages/1-2', participants: ['@gazt1977'] },
    });
    const [header, row] = parseCsv(
      renderCapturesCsv([{ capture: message, exhibit: null, folder: 'f', metadataSha256: '0'.repeat(64) }]).slice(1),
    );
    expect(row?.[header?.indexOf('conversation') ?? -1]).toBe('Gary Thornbury (@gazt1977) https://x.com/messages/1-2');
    expect(row?.[header?.indexOf('kind') ?? -1]).toBe('message');
  });

  it('keeps hostile captured text inside its own cell, and inert in a spreadsheet', () => {
    const hostile = makeCapture({
      author: { displayName: '=HYPERLINK("http://evil","Click")', handle: 'a,b"\r\nforged,row', profileUrl: null },
      shownTime: { raw: '-1', iso: null },
    });
    const rows = parseCsv(
      renderCapturesCsv([{ capture: hostile, exhibit: null, folder: 'f', metadataSha256: '0'.repeat(64) }]).slice(1),
    );
    expect(rows).toHaveLength(2);
    const cell = (name: (typeof CSV_COLUMNS)[number]) => rows[1]?.[CSV_COLUMNS.indexOf(name)];
    expect(cell('author')).toBe('\'=HYPERLINK("http://evil","Click")');
    expect(cell('handle')).toBe('a,b"\r\nforged,row');
    expect(cell('shown time (as displayed)')).toBe("'-1");
    expect(cell('profile URL')).toBe('');
  });
});

describe('captures.csv in every locale', () => {
  const HOSTILE_NAMES = [
    "Bob;=cmd|' /C calc'!A0",
    'Tab\t=1+1',
    ' @SUM(A1:A9)',
    '-2+3;+4',
    'quote"; =HYPERLINK("http://evil")',
    'line\r\n=1',
  ];

  it.each([',', ';', '\t'])('split on %j, every row has the same cells, none of them a formula', (separator) => {
    const rows = HOSTILE_NAMES.map((name, i) =>
      makeCapture({ id: `c${i}`, author: { displayName: name, handle: name, profileUrl: null }, text: name }),
    ).map((capture) => ({ capture, exhibit: null, folder: 'f', metadataSha256: '0'.repeat(64) }));
    const csv = renderCapturesCsv(rows).slice(1);
    // A cell that held a separator but was not quoted would split into more cells than the header has.
    const parsed = parseCsv(csv, separator);
    const header = parseCsv(csv)[0] ?? [];
    if (separator === ',') {
      expect(parsed).toHaveLength(HOSTILE_NAMES.length + 1);
      for (const row of parsed) expect(row).toHaveLength(header.length);
      const author = header.indexOf('author');
      expect(parsed.slice(1).map((row) => row[author])).toEqual(HOSTILE_NAMES.map(neutraliseFormula));
    }
    for (const row of parsed) {
      for (const cell of row) {
        // Whatever the separator, no cell a spreadsheet sees starts (after spaces) with a formula character.
        expect(cell, JSON.stringify(cell)).not.toMatch(/^\s*[=+\-@]/);
        expect(cell).not.toMatch(/^[\t\r]/);
      }
    }
  });
});
