import { browser } from 'wxt/browser';
import type { Case, CaptureSummary, Settings } from '../evidence/model';
import { listCases, openEvidenceDb, readArtifact, type EvidenceDb } from '../evidence/store';
import { DEFAULT_CASE_ID, readSettings, writeSettings } from '../background/settings';
import { startEvidencePanel } from './panel';
import { safeImage } from './safe-image';
import { el, errorText, required } from './dom';

/**
 * The toolbar popup: capture, the active case (switched in one click), the
 * newest captures with blurred thumbnails, and the way to the manager.
 * Reads cases and thumbnails straight from the extension's IndexedDB (the
 * popup is an extension page, same origin); captures go through the worker.
 */
export async function startPopup(doc: Document): Promise<void> {
  const [settings, db] = await Promise.all([readSettings(), openEvidenceDb()]);
  const thumbnails = new ThumbnailCache(db);
  doc.defaultView?.addEventListener('pagehide', () => thumbnails.clear());
  startEvidencePanel(doc, {
    recent: 5,
    afterRender: (list, summaries) => void thumbnails.decorate(doc, list, summaries, settings.blurScreenshots),
  });
  required<HTMLElement>(doc, '#setup-needed').hidden = settings.setupDone;
  await renderCaseSelect(doc, db, settings);
  for (const link of doc.querySelectorAll<HTMLAnchorElement>('a[data-open-tab]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void browser.tabs
        .create({ url: browser.runtime.getURL(link.getAttribute('href') as '/manager.html') })
        .then(() => doc.defaultView?.close());
    });
  }
}

/** Cases for the select: the stored ones, and "Unfiled" when the active case is the pre-setup default. */
export function caseOptions(cases: readonly Case[], activeCaseId: string): { id: string; label: string }[] {
  const options = cases.map((c) => ({ id: c.id, label: c.name }));
  if (activeCaseId === DEFAULT_CASE_ID || cases.length === 0)
    options.unshift({ id: DEFAULT_CASE_ID, label: 'Unfiled (no case chosen)' });
  return options;
}

async function renderCaseSelect(doc: Document, db: EvidenceDb, settings: Settings): Promise<void> {
  const select = required<HTMLSelectElement>(doc, '#active-case');
  const status = required<HTMLElement>(doc, '#status');
  const cases = await listCases(db);
  select.replaceChildren(
    ...caseOptions(cases, settings.activeCaseId).map((o) =>
      el(doc, 'option', { text: o.label, attrs: { value: o.id } }),
    ),
  );
  select.value = settings.activeCaseId;
  select.addEventListener('change', () => {
    const chosen = cases.find((c) => c.id === select.value);
    void writeSettings({
      activeCaseId: select.value,
      ...(chosen?.onBehalfOf ? { onBehalfOf: chosen.onBehalfOf } : {}),
    }).then(
      () => {
        status.dataset.kind = 'success';
        status.textContent = `Active case: ${chosen?.name ?? 'Unfiled'}. New captures go there.`;
      },
      (error: unknown) => {
        status.dataset.kind = 'error';
        status.textContent = errorText(error);
      },
    );
  });
}

/** Object URLs of the listed captures' screenshots, made once per capture and revoked when the popup closes. */
class ThumbnailCache {
  private readonly urls = new Map<string, Promise<string | null>>();
  private readonly revealed = new Set<string>();

  constructor(private readonly db: EvidenceDb) {}

  async decorate(doc: Document, list: HTMLElement, summaries: readonly CaptureSummary[], blur: boolean): Promise<void> {
    for (const summary of summaries) {
      const url = await this.urlFor(summary);
      const item = list.querySelector<HTMLElement>(`[data-capture-id="${CSS.escape(summary.id)}"]`);
      if (!url || !item || item.querySelector('.safe-image')) continue;
      const image = safeImage(doc, {
        src: url,
        alt: `Screenshot of the captured ${summary.kind}`,
        blurred: blur && !this.revealed.has(summary.id),
        className: 'safe-image--thumb',
      });
      // Remember a reveal across the list's refreshes.
      image.querySelector('button')?.addEventListener('click', () => {
        if (image.dataset.revealed === 'true') this.revealed.add(summary.id);
        else this.revealed.delete(summary.id);
      });
      item.append(image);
    }
  }

  private urlFor(summary: CaptureSummary): Promise<string | null> {
    let url = this.urls.get(summary.id);
    if (!url) {
      url = readArtifact(this.db, summary.id, 'post.png')
        .catch(() => readArtifact(this.db, summary.id, 'viewport.png'))
        .then((blob) => URL.createObjectURL(blob))
        .catch(() => null);
      // A capture still being saved may gain its screenshot later: do not cache a miss.
      void url.then((u) => {
        if (u === null) this.urls.delete(summary.id);
      });
      this.urls.set(summary.id, url);
    }
    return url;
  }

  clear(): void {
    for (const url of this.urls.values()) void url.then((u) => u && URL.revokeObjectURL(u));
    this.urls.clear();
  }
}
