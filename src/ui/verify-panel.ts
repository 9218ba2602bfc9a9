import { readSettings } from '../background/settings';
import { describeImport, importBundle, type ImportOptions, type ImportOutcome } from '../bundle/import';
import { inspectBundle, type InspectedBundle } from '../bundle/verify';
import { bundleVerdict, type Verdict } from '../bundle/verdict';
import { SUMS_PATH } from '../bundle/export';
import { formatFingerprint, type TrustedKey } from '../evidence/fingerprint';
import { listTrustedKeys } from '../evidence/trusted-keys';
import type { CustodyEvent } from '../evidence/model';
import { commitWithCustody, openEvidenceDb, type EvidenceDb } from '../evidence/store';

/**
 * The manager's "Verify a bundle" and "Import a bundle" sections. Both run in
 * the page, on the chosen file, and never unpack anything to disk. Everything
 * from the bundle (file names, messages quoting them) is shown as text.
 */

export interface VerifyPanelDeps {
  inspect(file: Blob): Promise<InspectedBundle>;
  /** The keys the manager trusts, its own first: the verdict names a bundle's signer by them. */
  keys(): Promise<TrustedKey[]>;
  /** Records the check in the custody log. A failure to record is shown, never hidden. */
  record?(file: File, inspected: InspectedBundle): Promise<void>;
}

export interface ImportPanelDeps {
  importFile(file: File, confirmKey?: ImportOptions['confirmKey']): Promise<ImportOutcome>;
  /** Called after captures were imported or a key was trusted, so the list and key sections refresh. */
  onChange?(): void;
}

const defaultVerifyDeps: VerifyPanelDeps = {
  inspect: (file) => inspectBundle(file),
  keys: async () => listTrustedKeys(await openEvidenceDb()),
  async record(file, inspected) {
    const [db, settings] = await Promise.all([openEvidenceDb(), readSettings()]);
    await recordVerification(db, settings.capturedBy, file, inspected);
  },
};

export const defaultImportDeps: ImportPanelDeps = {
  async importFile(file, confirmKey) {
    const [db, settings] = await Promise.all([openEvidenceDb(), readSettings()]);
    return importBundle(db, file, {
      caseId: settings.activeCaseId,
      actor: settings.capturedBy,
      fileName: file.name,
      ...(confirmKey && { confirmKey }),
    });
  },
};

/** Wires `#verify-file` to `#verify-result`; returns the function that removes the listener. */
export function startVerifyPanel(doc: Document, deps: VerifyPanelDeps = defaultVerifyDeps): () => void {
  const input = required<HTMLInputElement>(doc, '#verify-file');
  const output = required<HTMLElement>(doc, '#verify-result');
  return onFile(input, output, async (file) => {
    say(doc, output, `Checking ${file.name}…`, 'info');
    const [inspected, keys] = await Promise.all([deps.inspect(file), deps.keys()]);
    renderVerifyResult(doc, output, file.name, bundleVerdict(inspected.result, keys), inspected.result.problems);
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
    const outcome = await deps.importFile(file);
    renderImportOutcome(doc, output, outcome);
    if (outcome.ok) deps.onChange?.();
    if (!outcome.ok && outcome.confirmFingerprint) {
      const fingerprint = outcome.confirmFingerprint;
      output.append(
        confirmKeyForm(doc, fingerprint, async (name) => {
          say(doc, output, `Importing ${file.name}…`, 'info');
          const confirmed = await deps.importFile(file, { fingerprint, name });
          renderImportOutcome(doc, output, confirmed);
          if (confirmed.ok) deps.onChange?.();
        }),
      );
      output.querySelector<HTMLInputElement>('.confirm-key-name')?.focus();
    }
  });
}

/** The verdict as the headline, what was checked under it, then every problem, one per line. */
export function renderVerifyResult(
  doc: Document,
  output: HTMLElement,
  fileName: string,
  verdict: Verdict,
  problems: readonly { kind: string; message: string }[],
): void {
  output.dataset.kind = VERDICT_STYLE[verdict.kind];
  output.dataset.verdict = verdict.kind;
  const parts: HTMLElement[] = [paragraph(doc, `${fileName}: ${verdict.headline}.`, 'verify-summary')];
  if (verdict.details.length) parts.push(list(doc, verdict.details, 'verify-details'));
  if (problems.length) {
    const items = list(doc, [], 'verify-problems');
    for (const problem of problems) {
      const item = doc.createElement('li');
      item.dataset.kind = problem.kind;
      item.textContent = problem.message;
      items.append(item);
    }
    parts.push(items);
  }
  output.replaceChildren(...parts);
}

/** Only a bundle signed by a trusted key reads as success; the rest warn or fail. */
const VERDICT_STYLE: Record<Verdict['kind'], string> = {
  trusted: 'success',
  unconfirmed: 'warning',
  unsigned: 'warning',
  altered: 'error',
};

/**
 * Shows the fingerprint to compare, read aloud with the sender, and asks for
 * the key's name before anything is written.
 */
function confirmKeyForm(doc: Document, fingerprint: string, confirm: (name: string) => Promise<void>): HTMLElement {
  const form = doc.createElement('form');
  form.className = 'confirm-key';
  const id = `confirm-key-name-${fingerprint.slice(0, 8)}`;
  const shown = doc.createElement('p');
  shown.append('Fingerprint of the key that signed this bundle: ');
  const code = doc.createElement('code');
  code.className = 'fingerprint';
  code.textContent = formatFingerprint(fingerprint);
  shown.append(code);
  const ask = paragraph(
    doc,
    'Ask the sender to read you the fingerprint their manager shows under "This installation\'s signing key". Import only if every group matches.',
  );
  const label = doc.createElement('label');
  label.htmlFor = id;
  label.textContent = 'Whose key is it? (name it)';
  const name = doc.createElement('input');
  name.id = id;
  name.className = 'confirm-key-name';
  name.type = 'text';
  name.required = true;
  name.maxLength = 100;
  const yes = doc.createElement('button');
  yes.type = 'submit';
  yes.className = 'primary';
  yes.textContent = 'The fingerprints match: trust this key and import';
  const no = doc.createElement('button');
  no.type = 'button';
  no.textContent = 'Cancel';
  no.addEventListener('click', () => form.remove());
  const actions = doc.createElement('div');
  actions.className = 'actions';
  actions.append(yes, no);
  form.append(shown, ask, label, name, actions);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    yes.disabled = true;
    void confirm(name.value).catch((error: unknown) => {
      yes.disabled = false;
      form.append(paragraph(doc, errorText(error), 'verify-note'));
    });
  });
  return form;
}

export function renderImportOutcome(doc: Document, output: HTMLElement, outcome: ImportOutcome): void {
  output.dataset.kind = outcome.ok ? 'success' : outcome.confirmFingerprint ? 'warning' : 'error';
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
  delete output.dataset.verdict;
  output.replaceChildren(paragraph(doc, text));
}

function list(doc: Document, lines: readonly string[], className: string): HTMLElement {
  const ul = doc.createElement('ul');
  ul.className = className;
  for (const line of lines) {
    const item = doc.createElement('li');
    item.textContent = line;
    ul.append(item);
  }
  return ul;
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
