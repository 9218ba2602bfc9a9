/**
 * The SHA256SUMS file in exactly the format GNU coreutils writes and reads,
 * so an officer can check a bundle with nothing but `sha256sum -c SHA256SUMS`.
 */

export interface Sha256SumsEntry {
  path: string;
  sha256: string;
}

export class Sha256SumsError extends Error {
  override name = 'Sha256SumsError';
  constructor(
    message: string,
    /** 1-based line of SHA256SUMS, when the problem is on one line. */
    readonly line?: number,
  ) {
    super(message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * `<hash>  <path>\n` per file (two spaces: text mode, as `sha256sum` prints
 * by default), sorted by path in code-unit order so the output never depends on locale.
 */
export function formatSha256Sums(entries: readonly Sha256SumsEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareCodeUnits(a.path, b.path));
  sorted.forEach((e, i) => {
    if (!HEX64.test(e.sha256))
      throw new Sha256SumsError(`"${e.path}" has no valid SHA-256 (64 lowercase hex digits): "${e.sha256}"`);
    // GNU escapes such names with a leading backslash; ours never need it, so one is a bug upstream.
    if (e.path === '' || /[\\\n\r]/.test(e.path))
      throw new Sha256SumsError(`Cannot list file name ${JSON.stringify(e.path)} in SHA256SUMS`);
    if (i > 0 && sorted[i - 1]?.path === e.path) throw new Sha256SumsError(`"${e.path}" is listed twice`);
  });
  return sorted.map((e) => `${e.sha256}  ${e.path}\n`).join('');
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<hash>  <path>` (text) or `<hash> *<path>` (binary); `\` first means the name is escaped. */
const LINE = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/;

/**
 * Reads SHA256SUMS as written by any `sha256sum` (or edited on Windows):
 * accepts the `*` binary marker, CRLF line ends, a byte-order mark, blank
 * lines and upper-case hex. Throws Sha256SumsError naming the first bad line.
 */
export function parseSha256Sums(text: string): Sha256SumsEntry[] {
  const seen = new Set<string>();
  const entries: Sha256SumsEntry[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      const entry = parseLine(line, i + 1);
      if (seen.has(entry.path))
        throw new Sha256SumsError(`SHA256SUMS line ${i + 1} lists "${entry.path}" a second time`, i + 1);
      seen.add(entry.path);
      entries.push(entry);
    });
  return entries;
}

function parseLine(line: string, lineNo: number): Sha256SumsEntry {
  const m = LINE.exec(line);
  if (!m) {
    throw new Sha256SumsError(
      `SHA256SUMS line ${lineNo} is not "<64 hex digits>, two spaces, file name": ${JSON.stringify(truncate(line, 120))}`,
      lineNo,
    );
  }
  const [, escaped = '', hash = '', name = ''] = m;
  return { sha256: hash.toLowerCase(), path: escaped ? unescapeName(name) : name };
}

/** GNU's escaping for names with a backslash, newline or carriage return: `\\`, `\n`, `\r`. */
function unescapeName(name: string): string {
  const controls: Record<string, string> = { n: '\n', r: '\r' };
  return name.replace(/\\(.)/g, (_, c: string) => controls[c] ?? c);
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
