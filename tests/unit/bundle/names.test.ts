import { describe, expect, it } from 'vitest';
import { bundleFileName, captureFolderName, compactUtc, safeSegment } from '../../../src/bundle/names';
import { makeCapture } from '../factories';

/** What Windows, macOS and Linux all accept, with no trailing or leading dot or dash. */
const PORTABLE = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

describe('safeSegment', () => {
  it.each([
    ['plain ASCII is kept', 'GazT_1977', 'GazT_1977'],
    ['spaces and punctuation become single dashes', 'Harassment of Cllr. J. Smith!!', 'Harassment-of-Cllr.-J.-Smith'],
    ['accents keep their letter', 'José Müller', 'Jose-Muller'],
    ['non-Latin script falls back', 'Дмитрий', 'unnamed'],
    ['emoji are dropped', '😈troll😈', 'troll'],
    ['path traversal is neutralised', '../../etc/passwd', 'etc-passwd'],
    ['backslashes and drive letters too', 'C:\\Windows\\system32', 'C-Windows-system32'],
    ['leading dots are trimmed', '.hidden', 'hidden'],
    ['trailing dots and dashes are trimmed', 'name. -', 'name'],
    ['runs of dots collapse', 'a...b', 'a.b'],
    ['underscores are kept as they are', '__x__', '__x__'],
    ['control characters become dashes', 'a\u0000b\nc', 'a-b-c'],
    ['empty falls back', '', 'unnamed'],
    ['only punctuation falls back', '/// ...', 'unnamed'],
  ])('%s: %j -> %j', (_, input, expected) => {
    expect(safeSegment(input, 64)).toBe(expected);
  });

  it.each(['CON', 'con', 'Prn', 'AUX', 'nul', 'COM1', 'com9', 'LPT1', 'lpt9', 'NUL.txt', 'con.tar.gz', 'aux.'])(
    'avoids the Windows reserved name %j',
    (name) => {
      const safe = safeSegment(name, 64);
      expect(safe.split('.')[0]?.toUpperCase()).not.toMatch(/^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])$/);
      expect(safe).toMatch(PORTABLE);
    },
  );

  it.each(['CONSOLE', 'COM10', 'LPT0', 'nullable', 'auxiliary'])(
    'leaves %j alone: only the exact stems are reserved',
    (name) => {
      expect(safeSegment(name, 64)).toBe(name);
    },
  );

  it('bounds the length, and trims again where the cut lands on a dash', () => {
    expect(safeSegment('a'.repeat(500), 40)).toHaveLength(40);
    expect(safeSegment('abcd-efgh', 5)).toBe('abcd');
    expect(safeSegment('CON', 2)).toBe('CO');
  });

  it('uses the fallback given, made safe the same way', () => {
    expect(safeSegment('😀', 20, 'unknown')).toBe('unknown');
    expect(safeSegment('😀', 20, '../x y')).toBe('x-y');
    expect(safeSegment('😀', 20, '')).toBe('_');
  });

  it('is always portable, whatever it is given', () => {
    const nasty = [
      '\u202Eevil',
      ' ',
      '.',
      '..',
      '-',
      'a/b/c',
      'x'.repeat(300),
      'ｆｕｌｌｗｉｄｔｈ',
      'ﬁle',
      'CON.',
      'tab\there',
    ];
    for (const s of nasty) expect(safeSegment(s, 30)).toMatch(PORTABLE);
  });

  it('rejects a length that cannot hold a name', () => {
    expect(() => safeSegment('x', 0)).toThrow(RangeError);
  });
});

describe('compactUtc', () => {
  it.each([
    ['2026-11-20T18:42:07.123Z', '20261120T184207Z'],
    ['2026-11-20T18:42:07+01:00', '20261120T174207Z'],
    ['2026-01-02T03:04:05Z', '20260102T030405Z'],
  ])('%s -> %s', (iso, compact) => {
    expect(compactUtc(iso)).toBe(compact);
  });

  it('is null for something that is not a time', () => {
    expect(compactUtc('yesterday')).toBeNull();
  });
});

describe('captureFolderName', () => {
  it('joins number, platform, handle and UTC capture time', () => {
    expect(captureFolderName(1, makeCapture())).toBe('0001-x-GazT_1977-20261120T184207Z');
  });

  it('says unknown when the handle is missing or has nothing usable', () => {
    const anon = makeCapture({ author: { displayName: 'Anon', handle: null, profileUrl: null } });
    const emoji = makeCapture({ author: { displayName: null, handle: '😈😈', profileUrl: null } });
    expect(captureFolderName(12, anon)).toBe('0012-x-unknown-20261120T184207Z');
    expect(captureFolderName(12, emoji)).toBe('0012-x-unknown-20261120T184207Z');
  });

  it('cannot be steered out of its folder by a hostile handle', () => {
    const name = captureFolderName(
      3,
      makeCapture({ author: { displayName: null, handle: '../../CON', profileUrl: null } }),
    );
    expect(name).toBe('0003-x-_CON-20261120T184207Z');
    expect(name).toMatch(PORTABLE);
  });

  it('keeps counting past 9999 and bounds long handles', () => {
    const long = makeCapture({ author: { displayName: null, handle: 'h'.repeat(200), profileUrl: null } });
    expect(captureFolderName(12345, long)).toBe(`12345-x-${'h'.repeat(40)}-20261120T184207Z`);
  });

  it('names an undated capture plainly instead of failing', () => {
    expect(captureFolderName(1, makeCapture({ capturedAt: 'not a time' }))).toBe('0001-x-GazT_1977-undated');
  });

  it('is 1-based', () => {
    expect(() => captureFolderName(0, makeCapture())).toThrow(RangeError);
  });
});

describe('bundleFileName', () => {
  it('names the case and the UTC export time', () => {
    expect(bundleFileName('Harassment of Cllr Example', '2026-11-22T10:15:30.456Z')).toBe(
      'witness-box-Harassment-of-Cllr-Example-20261122T101530Z.zip',
    );
  });

  it('falls back to "case" for a name with nothing usable', () => {
    expect(bundleFileName('💬', '2026-11-22T10:15:30Z')).toBe('witness-box-case-20261122T101530Z.zip');
  });
});
