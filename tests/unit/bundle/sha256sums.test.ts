import { describe, expect, it } from 'vitest';
import { formatSha256Sums, parseSha256Sums, Sha256SumsError } from '../../../src/bundle/sha256sums';

const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);
const C = 'f'.repeat(64);

describe('formatSha256Sums', () => {
  it('writes the GNU coreutils text-mode format, sorted by path, byte for byte', () => {
    const text = formatSha256Sums([
      { path: 'manifest.json', sha256: C },
      { path: 'README.txt', sha256: A },
      { path: 'captures/0001-x-a-20261120T184207Z/post.png', sha256: B },
    ]);
    expect(text).toBe(
      `${A}  README.txt\n` + `${B}  captures/0001-x-a-20261120T184207Z/post.png\n` + `${C}  manifest.json\n`,
    );
  });

  it('sorts by code unit, not by locale (upper case before lower)', () => {
    const text = formatSha256Sums([
      { path: 'b', sha256: A },
      { path: 'B', sha256: A },
      { path: 'a', sha256: A },
    ]);
    expect(text.split('\n').map((l) => l.slice(66))).toEqual(['B', 'a', 'b', '']);
  });

  it('is empty for no files', () => {
    expect(formatSha256Sums([])).toBe('');
  });

  it.each([
    ['an upper-case hash', [{ path: 'x', sha256: A.toUpperCase() }]],
    ['a short hash', [{ path: 'x', sha256: 'abc' }]],
    ['a name with a newline', [{ path: 'x\ny', sha256: A }]],
    ['a name with a backslash', [{ path: 'x\\y', sha256: A }]],
    ['an empty name', [{ path: '', sha256: A }]],
    [
      'a name twice',
      [
        { path: 'x', sha256: A },
        { path: 'x', sha256: B },
      ],
    ],
  ])('refuses %s', (_, entries) => {
    expect(() => formatSha256Sums(entries)).toThrow(Sha256SumsError);
  });
});

describe('parseSha256Sums', () => {
  const entries = [
    { path: 'README.txt', sha256: A },
    { path: 'captures/0001-x-a-20261120T184207Z/post.png', sha256: B },
  ];

  it('round-trips what formatSha256Sums writes', () => {
    expect(parseSha256Sums(formatSha256Sums(entries))).toEqual(entries);
  });

  it('accepts the binary marker, CRLF, a BOM, blank lines and upper-case hex', () => {
    const text = `\uFEFF${A.toUpperCase()} *README.txt\r\n\r\n${B}  captures/0001-x-a-20261120T184207Z/post.png\r\n`;
    expect(parseSha256Sums(text)).toEqual(entries);
  });

  it('keeps spaces inside names, as sha256sum does', () => {
    expect(parseSha256Sums(`${A}  my file.txt\n`)).toEqual([{ path: 'my file.txt', sha256: A }]);
  });

  it("unescapes GNU's backslash-escaped names", () => {
    expect(parseSha256Sums(`\\${A}  a\\\\b\\nc\n`)).toEqual([{ path: 'a\\b\nc', sha256: A }]);
  });

  it.each([
    ['a short hash', `${A}  ok\nabc  x\n`, 2],
    ['a missing name', `${A}  \n`, 1],
    ['one space and no marker', `${A} x\n`, 1],
    ['a BSD-style tag line', `SHA256 (x) = ${A}\n`, 1],
    ['non-hex digits', `${'g'.repeat(64)}  x\n`, 1],
  ])('says which line is wrong for %s', (_, text, line) => {
    const error = captureError(() => parseSha256Sums(text));
    expect(error).toBeInstanceOf(Sha256SumsError);
    expect(error).toMatchObject({ line });
    expect(error?.message).toContain(`line ${line}`);
  });

  it('refuses a file listed twice', () => {
    expect(() => parseSha256Sums(`${A}  x\n${B}  x\n`)).toThrow(/line 2 lists "x" a second time/);
  });
});

function captureError(fn: () => unknown): Error | undefined {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}
