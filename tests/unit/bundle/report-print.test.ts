// @vitest-environment node
// report.html printed to PDF by headless Chromium and read back with pdftotext, as an officer would print it.
// Launches Chromium: run it under the shared browser lock (flock /tmp/wb-browser.lock …).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import type { Capture, CustodyEventBody } from '../../../src/evidence/model';
import { makeArtifactStore, makeCapture, makeCustodyLog, makePng } from '../factories';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const ready = existsSync(CHROMIUM) && has('unzip', '-v') && has('pdftotext', '-v');

const LONG_TEXT = `${'You lot will pay for this, every one of you, and I know where the office is. '.repeat(30)}End.`;

/** A case like the one in issue 19: 12 posts (one a direct message, one a long rant), 8 with the author's profile page. */
async function twentyCaptureCase() {
  const store = makeArtifactStore();
  const captures: Capture[] = [];
  const bodies: Partial<CustodyEventBody>[] = [];
  for (let i = 1; i <= 12; i++) {
    const id = `post-${i}`;
    const at = new Date(Date.UTC(2026, 11, 1 + (i % 4), 7, 43, i)).toISOString();
    const post = makeCapture({
      id,
      kind: i === 5 ? 'message' : 'post',
      capturedBy: i % 3 === 0 ? 'Priya Shah' : 'Sam Okafor',
      capturedAt: at,
      isReply: i % 2 === 0,
      author: {
        displayName: `Angry Person ${i}`,
        handle: `angry_${i}_1977`,
        profileUrl: `https://x.com/angry_${i}_1977`,
      },
      text: i === 7 ? LONG_TEXT : `Post number ${i}: you should be ashamed of yourself and your campaign.`,
      artifacts: [
        await store.put(id, 'post.png', makePng(600, 260, [29, 155, 240])),
        await store.put(id, 'viewport.png', makePng(640, 400, [255, 255, 255])),
        await store.put(id, 'page.mhtml', new Blob(['MIME-Version: 1.0\r\n\r\n<html></html>'])),
        await store.put(id, 'post.html', new Blob(['<article>post</article>'])),
        await store.put(id, 'post-render.png', makePng(600, 300, [10, 20, 30])),
      ],
    });
    captures.push(post);
    bodies.push({
      action: 'captured',
      actor: post.capturedBy,
      captureId: id,
      detail: { kind: post.kind, artifacts: post.artifacts },
    });
    if (i <= 8) {
      const pid = `profile-${i}`;
      const profile = makeCapture({
        id: pid,
        kind: 'profile',
        parentId: id,
        capturedBy: post.capturedBy,
        capturedAt: new Date(Date.parse(at) + 4000).toISOString(),
        author: post.author,
        url: post.author.profileUrl ?? '',
        permalink: null,
        text: null,
        artifacts: [
          await store.put(pid, 'viewport.png', makePng(640, 400, [0, 0, 0])),
          await store.put(pid, 'fullpage.png', makePng(640, 1200, [90, 90, 90])),
          await store.put(pid, 'page.mhtml', new Blob(['MIME-Version: 1.0\r\n\r\n<html>profile</html>'])),
        ],
        profile: {
          platform: 'x',
          displayName: post.author.displayName,
          handle: post.author.handle,
          profileUrl: post.author.profileUrl,
          bio: 'Proud local. Say it like it is.',
          followersShown: '1,204',
          followingShown: '310',
          postsShown: '12.1K',
          joinedShown: 'Joined March 2019',
          accountId: `12345${i}`,
          verified: false,
          state: 'public',
        },
      });
      captures.push(profile);
      bodies.push({
        action: 'captured',
        actor: post.capturedBy,
        captureId: pid,
        detail: { kind: 'profile', artifacts: profile.artifacts },
      });
    }
  }
  // References as assignExhibitReferences gives them: per producer, in capture order.
  const next = new Map<string, number>();
  const refs = new Map<string, string>();
  for (const c of captures) {
    const initials = c.capturedBy === 'Sam Okafor' ? 'SO' : 'PS';
    const n = (next.get(initials) ?? 0) + 1;
    next.set(initials, n);
    refs.set(c.id, `${initials}${n}`);
    bodies.push({
      action: 'exhibit-assigned',
      captureId: c.id,
      detail: { caseId: 'case-1', reference: `${initials}${n}`, producer: c.capturedBy, initials, number: n },
    });
  }
  bodies.push({
    action: 'noted',
    actor: 'Priya Shah',
    captureId: 'post-3',
    detail: { note: 'Seen at the count too.' },
  });
  bodies.push({
    action: 'statement-edited',
    actor: 'Sam Okafor',
    captureId: null,
    detail: {
      caseId: 'case-1',
      producer: 'Sam Okafor',
      name: 'Samuel Okafor',
      role: 'volunteer for Cllr Jane Example',
      context: 'I monitor the candidate’s accounts each morning.',
      captureIds: ['post-1'],
    },
  });
  const custody = await makeCustodyLog(bodies);
  return { store, captures, custody, refs };
}

describe.skipIf(!ready)('report.html printed to PDF (Chromium, pdftotext)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'witness-box-print-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints like an evidence document: each exhibit starts a page, no fact table splits, at most two pages each', async () => {
    const { store, captures, custody, refs } = await twentyCaptureCase();
    const built = await buildBundle({
      caseName: 'Abuse of Cllr Jane Example',
      onBehalfOf: 'Cllr Jane Example',
      captures,
      custody,
      readArtifact: (id, name) => store.read(id, name),
      exportedBy: 'Priya Shah',
      exportedAt: '2026-12-05T10:00:00.000Z',
      tool: { name: 'Witness Box', version: '0.1.0', browser: 'Chrome 156', os: 'Linux' },
      signer: {
        publicKeyPem: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
        fingerprint: 'ab12'.repeat(16),
        sign: async () => new Uint8Array([48, 0]),
      },
    });
    const zipPath = join(dir, built.fileName);
    writeFileSync(zipPath, new Uint8Array(await built.zip.arrayBuffer()));
    const out = join(dir, 'out');
    execFileSync('unzip', ['-q', zipPath, '-d', out]);
    const pdf = join(dir, 'report.pdf');
    execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        `file://${join(out, 'report.html')}`,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
    execFileSync('pdftotext', ['-layout', pdf, join(dir, 'report.txt')]);
    const pages = readFileSync(join(dir, 'report.txt'), 'utf8')
      .split('\f')
      .filter((p, i, all) => i < all.length - 1 || p.trim());
    if (process.env.KEEP_REPORT_PDF) execFileSync('cp', [pdf, process.env.KEEP_REPORT_PDF]);
    const firstLine = (page: string) =>
      page
        .split('\n')
        .find((l) => l.trim())
        ?.trim() ?? '';

    // Every exhibit starts a page of its own, in order.
    const ordered = captures.map((c) => refs.get(c.id) ?? '');
    const starts = ordered.map((ref) => pages.findIndex((p) => firstLine(p).startsWith(`Exhibit ${ref} `)));
    expect(
      starts.every((s) => s > 0),
      `exhibit start pages ${JSON.stringify(starts)}`,
    ).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const appendix = pages.findIndex((p) => firstLine(p).startsWith('Draft exhibit statement'));
    expect(appendix).toBeGreaterThan(starts[starts.length - 1] ?? 0);

    for (const [i, start] of starts.entries()) {
      const end = starts[i + 1] ?? appendix;
      const ref = ordered[i];
      // At most two pages per exhibit.
      expect(end - start, `exhibit ${ref} runs to ${end - start} pages`).toBeLessThanOrEqual(2);
      // Its fact table, first row to last, on one page.
      const page = pages[start] ?? '';
      expect(page, `exhibit ${ref}: first row of its fact table`).toMatch(/Exhibit reference\s+\S+/);
      expect(page, `exhibit ${ref}: last row of its fact table on the same page`).toMatch(/Folder\s+captures\//);
    }
    // Cover and index before the exhibits; the appendix (statement, custody log, hash chain, where to report) after.
    expect(starts[0]).toBeLessThanOrEqual(3);
    expect(pages.length - appendix).toBeLessThanOrEqual(8);
    expect(pages.length).toBeLessThanOrEqual(2 * ordered.length + 3 + 8);

    const text = pages.join('\n');
    // The cover: counts as README.txt gives them, and the signing key's fingerprint.
    expect(pages[0]).toContain('20 exhibits: 11 posts and comments, 1 message, 8 profile pages');
    expect(pages[0]).toContain('AB12 AB12');
    // The custody log in sentences.
    expect(text.replace(/\s+/g, ' ')).toMatch(
      /\d+ Nov 2026 \d\d:\d\d:\d\d GMT — Sam Okafor captured SO1: post by @angry_1_1977 on X \(formerly Twitter\), 5 files\./,
    );
    // The draft statement, as edited, ending with the exhibits produced.
    expect(text).toContain('I am Samuel Okafor, volunteer for Cllr Jane Example.');
    expect(text.replace(/\s+/g, ' ')).toMatch(/I produce the following exhibits: SO1, SO2, SO3,/);
    // Every hash of the chain on one line, never wrapped.
    for (const event of custody) expect(text).toContain(event.hash);
  }, 180_000);
});
