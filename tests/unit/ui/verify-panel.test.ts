// @vitest-environment node
// Node's Blob and File (jsdom's lack arrayBuffer, which reading a zip needs), with a JSDOM page around them.
import { JSDOM } from 'jsdom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { inspectBundle, type InspectedBundle } from '../../../src/bundle/verify';
import { bundleVerdict } from '../../../src/bundle/verdict';
import type { TrustedKey } from '../../../src/evidence/fingerprint';
import { allCustody, openEvidenceDb } from '../../../src/evidence/store';
import {
  recordVerification,
  renderImportOutcome,
  renderVerifyResult,
  startImportPanel,
  startVerifyPanel,
} from '../../../src/ui/verify-panel';
import { flipByte, makeSampleBundle, POST_FOLDER, repack } from '../bundle/sample-bundle';

const PAGE = `<input id="verify-file" type="file"><div id="verify-result"></div><input id="import-file" type="file"><div id="import-result"></div>`;
let doc: Document;

beforeEach(() => {
  doc = new JSDOM(PAGE).window.document;
});

async function sampleBytes(): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (await buildBundle((await makeSampleBundle()).input)).zip.arrayBuffer());
}

function choose(input: HTMLInputElement, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new doc.defaultView!.Event('change'));
}

const text = (selector: string) => doc.querySelector(selector)?.textContent ?? '';
const noKeys = async (): Promise<TrustedKey[]> => [];

describe('the verify panel', () => {
  it('heads an unsigned bundle "Not signed", never "all files match", and records the check', async () => {
    const record = vi.fn(async () => undefined);
    startVerifyPanel(doc, { inspect: inspectBundle, keys: noKeys, record });
    choose(doc.querySelector('#verify-file')!, new File([await sampleBytes()], 'bundle.zip'));
    await vi.waitFor(() => expect(text('#verify-result')).toMatch(/Not signed/));
    expect(text('.verify-summary')).toBe('bundle.zip: Not signed: anyone could have made this bundle.');
    expect(text('#verify-result')).not.toMatch(/all files match/i);
    expect(doc.querySelector<HTMLElement>('#verify-result')?.dataset.kind).toBe('warning');
    await vi.waitFor(() => expect(record).toHaveBeenCalledOnce());
    expect(doc.querySelector<HTMLInputElement>('#verify-file')?.disabled).toBe(false);
  });

  it('names exactly which file differs', async () => {
    const tampered: Uint8Array<ArrayBuffer> = await repack(new Blob([await sampleBytes()]), (files) =>
      files.set(`${POST_FOLDER}/post.png`, flipByte(files.get(`${POST_FOLDER}/post.png`), 40)),
    );
    startVerifyPanel(doc, { inspect: inspectBundle, keys: noKeys });
    choose(doc.querySelector('#verify-file')!, new File([tampered], 'tampered.zip'));
    await vi.waitFor(() => expect(text('#verify-result')).toMatch(/Altered/));
    expect(text('.verify-summary')).toMatch(new RegExp(`^tampered.zip: Altered: ${POST_FOLDER}/post.png has changed`));
    const items = [...doc.querySelectorAll('.verify-problems li')];
    expect(items.map((li) => (li as HTMLElement).dataset.kind)).toEqual(['hash-mismatch']);
    expect(items[0]?.textContent).toMatch(new RegExp(`^${POST_FOLDER}/post.png has changed`));
  });

  it('shows names from a hostile bundle as text, never as markup', () => {
    const output = doc.querySelector<HTMLElement>('#verify-result')!;
    const result = {
      ok: false,
      filesChecked: 0,
      problems: [
        { kind: 'unsafe-path' as const, path: '<b>x</b>', message: 'The zip names "<script>alert(1)</script>"' },
      ],
      profile: null,
      signedBy: null,
      timestamps: [],
      custodyEvents: 0,
      standIns: 0,
    };
    renderVerifyResult(doc, output, '<img src=x onerror=alert(1)>.zip', bundleVerdict(result, []), result.problems);
    expect(output.querySelector('img, script, b')).toBeNull();
    expect(output.textContent).toContain('<img src=x onerror=alert(1)>.zip');
    expect(output.textContent).toContain('"<script>alert(1)</script>"');
  });

  it('shows an error it could not anticipate, and lets the file be chosen again', async () => {
    startVerifyPanel(doc, { inspect: async () => Promise.reject(new Error('disk on fire')), keys: noKeys });
    choose(doc.querySelector('#verify-file')!, new File(['x'], 'x.zip'));
    await vi.waitFor(() => expect(text('#verify-result')).toBe('disk on fire'));
    expect(doc.querySelector<HTMLInputElement>('#verify-file')?.disabled).toBe(false);
  });

  it('stops listening when asked', async () => {
    const inspect = vi.fn(async (): Promise<InspectedBundle> => Promise.reject(new Error('no')));
    startVerifyPanel(doc, { inspect, keys: noKeys })();
    choose(doc.querySelector('#verify-file')!, new File(['x'], 'x.zip'));
    expect(inspect).not.toHaveBeenCalled();
  });
});

describe('recordVerification', () => {
  it('adds a verified event naming the bundle, its SHA256SUMS hash, the outcome and its captures', async () => {
    const db = await openEvidenceDb('verify-panel-record');
    const inspected = await inspectBundle(await sampleBytes());
    const event = await recordVerification(
      db,
      'Staffer B',
      { name: 'bundle.zip', size: 1234 },
      inspected,
      () => '2026-11-25T09:00:00.000Z',
    );
    expect(event).toMatchObject({
      seq: 1,
      action: 'verified',
      actor: 'Staffer B',
      captureId: null,
      at: '2026-11-25T09:00:00.000Z',
      detail: {
        fileName: 'bundle.zip',
        bytes: 1234,
        sha256sums: inspected.actual.get('SHA256SUMS')?.sha256,
        ok: true,
        filesChecked: 18,
        problems: 0,
        profile: 'police',
        captureIds: ['post-1', 'profile-1', 'post-2'],
      },
    });
    expect(await allCustody(db)).toEqual([event]);
  });
});

describe('the import panel', () => {
  it('shows what was imported and skipped', async () => {
    const fingerprint = 'ab'.repeat(32);
    const importFile = vi.fn(async () => ({
      ok: true as const,
      imported: [{ id: 'a', folder: 'captures/0001' }],
      skipped: [{ id: 'b', folder: 'captures/0002', reason: 'already in this evidence store, with the same hashes.' }],
      verdict: {
        kind: 'trusted' as const,
        headline: 'Signed by Volunteer A (fingerprint ABAB …): every file is as captured',
        fingerprint,
        key: null,
        details: [],
      },
      key: { fingerprint, name: 'Volunteer A', decision: 'trusted key' as const },
    }));
    startImportPanel(doc, { importFile });
    choose(doc.querySelector('#import-file')!, new File(['x'], 'vol.zip'));
    await vi.waitFor(() => expect(text('#import-result')).toMatch(/Imported/));
    expect(text('.import-summary')).toBe(
      'Signed by Volunteer A (fingerprint ABAB …): every file is as captured. Imported 1 capture; skipped 1.',
    );
    expect(text('#import-result li')).toBe(
      'Skipped captures/0002: already in this evidence store, with the same hashes.',
    );
  });

  it('shows a refusal with every reason', () => {
    const output = doc.querySelector<HTMLElement>('#import-result')!;
    renderImportOutcome(doc, output, {
      ok: false,
      refused: 'vol.zip was refused and nothing was imported: it does not verify (1 problem).',
      problems: [{ kind: 'hash-mismatch', path: 'a.png', message: 'a.png has changed' }],
    });
    expect(output.dataset.kind).toBe('error');
    expect([...output.querySelectorAll('p, li')].map((e) => e.textContent)).toEqual([
      'vol.zip was refused and nothing was imported: it does not verify (1 problem).',
      'a.png has changed',
    ]);
  });
});
