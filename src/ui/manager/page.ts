import type { Case, Settings } from '../../evidence/model';
import { createCase, listCases, openEvidenceDb } from '../../evidence/store';
import { signingIdentity } from '../../evidence/signing';
import { DEFAULT_CASE_ID, readSettings, writeSettings } from '../../background/settings';
import { sendToBackground } from '../../messages';
import { defaultImportDeps, startImportPanel, startVerifyPanel } from '../verify-panel';
import { formatFingerprint } from '../../evidence/fingerprint';
import { startTrustedKeys } from './trusted-keys';
import { exportSummary, showExportProgress } from '../export-progress';
import { mountExportPanel } from './export-panel';
import { el, errorText, required } from '../dom';
import { startAuthorView } from './author-view';
import type { ManagerContext } from './context';
import { startDetailView } from './detail';
import { caseChoices, startListView } from './list';
import { describeStorage } from './storage';

/**
 * The evidence manager, a full tab. The first visit asks who you are, for
 * whom you capture and the first case, and asks the browser to keep storage
 * persistent; after that: cases, the filtered list, a capture's detail, an
 * account's view, settings, storage and the bundle tools.
 */
export async function startManager(doc: Document): Promise<void> {
  const db = await openEvidenceDb();
  let settings = await readSettings();
  let cases: Case[] = await listCases(db);
  const status = required<HTMLElement>(doc, '#status');
  const say = (text: string, kind: 'info' | 'success' | 'error' = 'info') => {
    status.textContent = text;
    status.dataset.kind = kind;
  };

  const listSection = required<HTMLElement>(doc, '#list-view');
  const ctx: ManagerContext = {
    doc,
    db,
    settings: () => settings,
    cases: () => cases,
    caseName: (id) => cases.find((c) => c.id === id)?.name ?? (id === DEFAULT_CASE_ID ? 'Unfiled' : id),
    say,
    showList: () => {
      author.close();
      detail.close();
      listSection.hidden = false;
    },
    openDetail: async (id) => {
      listSection.hidden = true;
      author.close();
      await detail.open(id);
    },
    openAuthor: async (key) => {
      listSection.hidden = true;
      detail.close();
      await author.open(key);
    },
    refreshList: () => list.refresh(),
    reloadCases: async () => {
      cases = await listCases(db);
      list.setCaseOptions();
      renderActiveCase();
    },
    chosen: new Set<string>(),
    chosenChanged: () => exportPanel.update(),
  };
  const detail = startDetailView(ctx);
  const author = startAuthorView(ctx);
  const list = startListView(ctx);
  const exportPanel = mountExportPanel(ctx, required<HTMLElement>(doc, '#export-options'));

  const activeSelect = required<HTMLSelectElement>(doc, '#active-case');
  const renderActiveCase = () => {
    activeSelect.replaceChildren(
      ...caseChoices(ctx).map((c) => el(doc, 'option', { text: c.label, attrs: { value: c.id } })),
    );
    activeSelect.value = settings.activeCaseId;
  };
  activeSelect.addEventListener('change', () => {
    const chosen = cases.find((c) => c.id === activeSelect.value);
    void writeSettings({
      activeCaseId: activeSelect.value,
      ...(chosen?.onBehalfOf ? { onBehalfOf: chosen.onBehalfOf } : {}),
    }).then((next) => {
      settings = next;
      say(`Active case: ${ctx.caseName(next.activeCaseId)}. New captures go there.`, 'success');
      void exportPanel.refresh();
    });
  });

  // New case
  const newCase = required<HTMLFormElement>(doc, '#new-case-form');
  newCase.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = required<HTMLInputElement>(doc, '#new-case-name');
    const behalf = required<HTMLInputElement>(doc, '#new-case-behalf');
    void createCase(db, { name: name.value, onBehalfOf: behalf.value || settings.onBehalfOf }, settings.capturedBy)
      .then(async (created) => {
        name.value = '';
        behalf.value = '';
        await ctx.reloadCases();
        say(`Case "${created.name}" opened. Choose it as the active case to capture into it.`, 'success');
      })
      .catch((e: unknown) => say(errorText(e), 'error'));
  });

  // Settings
  const settingsForm = required<HTMLFormElement>(doc, '#settings-form');
  const fillSettings = (s: Settings) => {
    required<HTMLInputElement>(doc, '#setting-name').value = s.capturedBy === 'Not set' ? '' : s.capturedBy;
    required<HTMLInputElement>(doc, '#setting-behalf').value = s.onBehalfOf === 'Not set' ? '' : s.onBehalfOf;
    required<HTMLInputElement>(doc, '#setting-blur').checked = s.blurScreenshots;
  };
  settingsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = required<HTMLInputElement>(doc, '#setting-name').value.trim();
    const behalf = required<HTMLInputElement>(doc, '#setting-behalf').value.trim();
    if (!name) return say('Your name is needed: it is recorded with every capture as "captured by".', 'error');
    void writeSettings({
      capturedBy: name,
      onBehalfOf: behalf || name,
      blurScreenshots: required<HTMLInputElement>(doc, '#setting-blur').checked,
    }).then((next) => {
      settings = next;
      say('Settings saved.', 'success');
    });
  });

  // First run
  const setup = required<HTMLElement>(doc, '#setup');
  const app = required<HTMLElement>(doc, '#app');
  const showApp = async () => {
    app.hidden = false;
    fillSettings(settings);
    renderActiveCase();
    await list.refresh();
    // References are given once the list is up (the first page must not wait), then shown.
    await exportPanel.refresh();
    await list.refresh();
    await showStorage(doc, false);
  };
  required<HTMLFormElement>(doc, '#setup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = required<HTMLInputElement>(doc, '#setup-name').value.trim();
    const behalf = required<HTMLInputElement>(doc, '#setup-behalf').value.trim() || name;
    const caseName = required<HTMLInputElement>(doc, '#setup-case').value.trim();
    if (!name || !caseName) return say('Please give your name and a name for the first case.', 'error');
    void (async () => {
      const created = await createCase(db, { name: caseName, onBehalfOf: behalf }, name);
      settings = await writeSettings({
        capturedBy: name,
        onBehalfOf: behalf,
        activeCaseId: created.id,
        setupDone: true,
      });
      cases = await listCases(db);
      list.setCaseOptions();
      required<HTMLSelectElement>(doc, '#filter-case').value = created.id;
      // Asked from the page: the worker has no navigator.storage.persist().
      const persisted = await navigator.storage?.persist?.().catch(() => false);
      setup.hidden = true;
      await showApp();
      say(
        `Set up. Captures now go to "${created.name}", captured by ${name} on behalf of ${behalf}.${persisted ? '' : ' The browser did not make storage persistent; keep exporting your cases.'}`,
        'success',
      );
      required<HTMLElement>(doc, '#app-title').focus();
    })().catch((e: unknown) => say(errorText(e), 'error'));
  });

  required<HTMLButtonElement>(doc, '#persist-storage').addEventListener('click', () => void showStorage(doc, true));
  required<HTMLButtonElement>(doc, '#refresh').addEventListener(
    'click',
    () =>
      void exportPanel
        .refresh()
        .then(() => list.refresh())
        .then(() => say('List refreshed.')),
  );
  const exportButton = required<HTMLButtonElement>(doc, '#export-bundle');
  exportButton.addEventListener('click', () => {
    exportButton.disabled = true;
    say(`Exporting "${ctx.caseName(settings.activeCaseId)}"…`);
    void sendToBackground('export-bundle', exportPanel.choice())
      .then((r) => say(...exportSummary(r)))
      .catch((e: unknown) => say(errorText(e), 'error'))
      .finally(() => (exportButton.disabled = false));
  });
  const keys = startTrustedKeys(ctx);
  startVerifyPanel(doc);
  startImportPanel(doc, {
    ...defaultImportDeps,
    onChange: () => void Promise.all([list.refresh(), keys.refresh()]),
  });
  showExportProgress(required<HTMLProgressElement>(doc, '#export-progress'));
  void showSigningKey(doc);

  // Before setup the form comes first, but the evidence already stored (and the bundle tools) stay usable.
  setup.hidden = settings.setupDone;
  await showApp();
  if (!settings.setupDone) required<HTMLInputElement>(doc, '#setup-name').focus();
}

async function showStorage(doc: Document, askPersist: boolean): Promise<void> {
  const output = required<HTMLElement>(doc, '#storage-usage');
  const storage = navigator.storage;
  if (!storage?.estimate) {
    output.textContent = 'This browser does not say how much storage is used.';
    return;
  }
  if (askPersist) await storage.persist?.().catch(() => false);
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted?.().catch(() => null) ?? null,
  ]);
  const report = describeStorage(estimate, persisted);
  output.textContent = report.text;
  const warning = required<HTMLElement>(doc, '#storage-warning');
  warning.hidden = !report.warning;
  warning.textContent = report.warning ?? '';
  required<HTMLButtonElement>(doc, '#persist-storage').hidden = persisted === true;
}

/** The installation's key is made on first use; showing it here makes it, so the fingerprint can be handed out before any export. */
async function showSigningKey(doc: Document): Promise<void> {
  const output = required<HTMLElement>(doc, '#key-fingerprint');
  try {
    const { fingerprint } = await signingIdentity(await openEvidenceDb());
    // Grouped to read aloud; and the unbroken hex the bundle README and openssl print, to compare character for character.
    output.textContent = formatFingerprint(fingerprint);
    required<HTMLElement>(doc, '#key-fingerprint-hex').textContent = fingerprint;
  } catch (error) {
    output.textContent = `Could not read the key: ${errorText(error)}`;
  }
}
