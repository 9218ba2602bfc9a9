import { readSettings } from '../background/settings';
import { describeImport, importBundle, type ImportOutcome } from '../bundle/import';
import { inspectBundle, summarizeVerification, type InspectedBundle, type VerifyResult } from '../bundle/verify';
import { SUMS_PATH } from '../bundle/export';
import type { CustodyEvent } from '../evidence/model';
import { commitWithCustody, openEvidenceDb, type EvidenceDb } from '../evidence/store';

/**
 * The manager's "Verify a bundle" and "Import a bundle" sections. Both run in
 * the page, on the chosen file, and never unpack anything to disk. Everything
 * from the bundle (file names, messages quoting them) is shown as text.
 */

export interface VerifyPanelDeps {
  inspect(file: Blob): Promise<InspectedBundle>;
  /** Records the check in the custody log. A failure to record is shown, never hidden. */
  record?(file: File, inspected: InspectedBundle): Promise<void>;
}

export interface ImportPanelDeps {
  importFile(file: File): Promise<ImportOutcome>;
}

const defaultVerifyDeps: VerifyPanelDeps = {
  inspect: (file) => inspectBundle(file),
  async record(file, inspected) {
    const [db, settings] = await Promise.all([openEvidenceDb(), readSettings()]);
    await recordVerification(db, settings.capturedBy, file, inspected);
  },
};

const defaultImportDeps: ImportPanelDeps = {
  async importFile(file) {
    const [db, settings] = await Promise.all([openEvidenceDb(), readSettings()]);
    return importBundle(db, file, { caseId: settings.activeCaseId, actor: settings.capturedBy, fileName: file.name });
  },
};

/** Wires `#verify-file` to `#verify-result`; returns the function that removes the listener. */
export function startVerifyPanel(doc: Document, deps: VerifyPanelDeps = defaultVerifyDeps): () => void {
  const input = required<HTMLInputElement>(doc, '#verify-file');
  const output = required<HTMLElement>(doc, '#verify-result');
  return onFile(input, output, async (file) => {
    say(doc, output, `Checking ${file.name}…`, 'info');
    const inspected = await deps.inspect(file);
    renderVerifyResult(doc, output, file.name, inspected.result);
    if (deps.record) {
      await deps.record(file, inspected).catch((error: unknown) => {
        output.append(
          paragraph(doc, `The check could not be recorded in the custody log: ${errorText(error)}`, 'verify-note'),
        );
      });
    }
  });
}

/** Wires `#import-file` to `#import-result`. */
export function startImportPanel(doc: Document, deps: ImportPanelDeps = defaultImportDeps): () => void {
  const input = required<HTMLInputElement>(doc, '#import-file');
  const output = required<HTMLElement>(doc, '#import-result');
  return onFile(input, output, async (file) => {
    say(doc, output, `Checking and importing ${file.name}…`, 'info');
    renderImportOutcome(doc, output, await deps.importFile(file));
  });
}

/** "bundle.zip: All 17 files match; custody chain intact (…)", or the summary and every problem, one per line. */
export function renderVerifyResult(doc: Document, output: HTMLElement, fileName: string, result: VerifyResult): void {
  output.dataset.kind = result.ok ? 'success' : 'error';
  const summary = paragraph(doc, `${fileName}: ${summarizeVerification(result)}`, 'verify-summary');
  if (result.ok) return output.replaceChildren(summary);
  const list = doc.createElement('ul');
  list.className = 'verify-problems';
  for (const problem of result.problems) {
    const item = doc.createElement('li');
    item.dataset.kind = problem.kind;
    item.textContent = problem.message;
    list.append(item);
  }
  output.replaceChildren(summary, list);
}

export function renderImportOutcome(doc: Document, output: HTMLElement, outcome: ImportOutcome): void {
  output.dataset.kind = outcome.ok ? 'success' : 'error';
  const [first = '', ...rest] = describeImport(outcome);
  const list = doc.createElement('ul');
  for (const line of rest) {
    const item = doc.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  output.replaceChildren(paragraph(doc, first, 'import-summary'), ...(rest.length ? [list] : []));
}

/**
 * A `verified` custody event: which bundle (name, size, and the hash of its
 * SHA256SUMS, which pins every file), the outcome, and the captures it holds,
 * so a later export of those captures shows they were checked.
 */
export function recordVerification(
  db: EvidenceDb,
  actor: string,
  file: Pick<File, 'name' | 'size'>,
  inspected: InspectedBundle,
  now: () => string = () => new Date().toISOString(),
): Promise<CustodyEvent> {
  const { result } = inspected;
  return commitWithCustody(
    db,
    {
      at: now(),
      actor,
      action: 'verified',
      captureId: null,
      detail: {
        fileName: file.name,
        bytes: file.size,
        sha256sums: inspected.actual.get(SUMS_PATH)?.sha256 ?? null,
        ok: result.ok,
        filesChecked: result.filesChecked,
        problems: result.problems.length,
        profile: result.profile,
        captureIds: (inspected.manifest?.captures ?? []).slice(0, 10_000).map((c) => c.id),
      },
    },
    [],
    () => [],
  );
}

function onFile(input: HTMLInputElement, output: HTMLElement, work: (file: File) => Promise<void>): () => void {
  const listener = () => {
    const file = input.files?.[0];
    if (!file) return;
    input.disabled = true;
    void work(file)
      .catch((error: unknown) => say(input.ownerDocument, output, errorText(error), 'error'))
      .finally(() => {
        input.disabled = false;
        input.value = ''; // the same file can be chosen again
      });
  };
  input.addEventListener('change', listener);
  return () => input.removeEventListener('change', listener);
}

function say(doc: Document, output: HTMLElement, text: string, kind: 'info' | 'error'): void {
  output.dataset.kind = kind;
  output.replaceChildren(paragraph(doc, text));
}

function paragraph(doc: Document, text: string, className?: string): HTMLElement {
  const p = doc.createElement('p');
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function required<T extends Element>(doc: Document, selector: string): T {
  const element = doc.querySelector<T>(selector);
  if (!element) throw new Error(`The page is missing ${selector}.`);
  return element;
}
