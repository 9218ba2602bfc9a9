import type { Capture, CustodyEvent } from '../../evidence/model';
import { custodyFor, queryCaptures, type CaptureFilter, type PageCursor } from '../../evidence/store';
import { PLATFORM_REPORTING } from '../../bundle/where-to-report';
import { button, el, required } from '../dom';
import { damagedNotes } from '../capture-list';
import { authorText, displayText, formatCapturedAt, platformName } from '../format';
import { annotationsOf } from '../../evidence/annotations';
import { exhibitReferences } from '../../evidence/exhibits';
import { reportStatus } from './annotations';
import type { ManagerContext } from './context';

/**
 * The manager's list: a filter form, one page of 50 captures (newest first,
 * read through the capturedAt index, metadata only), and paging. Every
 * captured string is set as neutralised text.
 */

export const PLATFORMS = ['x', ...PLATFORM_REPORTING.map((p) => p.id).filter((id) => id !== 'x'), 'generic'];

/** The filter the form describes; empty fields are left out. */
export function filterFromForm(values: {
  caseId: string;
  platform: string;
  author: string;
  text: string;
  from: string;
  to: string;
  hasProfile: string;
}): CaptureFilter {
  const filter: CaptureFilter = {};
  if (values.caseId) filter.caseId = values.caseId;
  if (values.platform) filter.platform = values.platform;
  if (values.author.trim()) filter.author = values.author.trim();
  if (values.text.trim()) filter.text = values.text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(values.from)) filter.from = values.from;
  if (/^\d{4}-\d{2}-\d{2}$/.test(values.to)) filter.to = values.to;
  if (values.hasProfile === 'yes') filter.hasProfile = true;
  if (values.hasProfile === 'no') filter.hasProfile = false;
  return filter;
}

export interface ListView {
  refresh(): Promise<void>;
  setCaseOptions(): void;
  focusCapture(id: string): void;
}

export function startListView(ctx: ManagerContext): ListView {
  const { doc } = ctx;
  const form = required<HTMLFormElement>(doc, '#filters');
  const caseSelect = required<HTMLSelectElement>(doc, '#filter-case');
  const platformSelect = required<HTMLSelectElement>(doc, '#filter-platform');
  const list = required<HTMLElement>(doc, '#captures');
  const count = required<HTMLElement>(doc, '#result-count');
  const damagedList = required<HTMLElement>(doc, '#damaged-list');
  const prev = required<HTMLButtonElement>(doc, '#prev-page');
  const next = required<HTMLButtonElement>(doc, '#next-page');
  const pageLabel = required<HTMLElement>(doc, '#page-label');
  const value = (id: string) => required<HTMLInputElement | HTMLSelectElement>(doc, `#${id}`).value;

  platformSelect.replaceChildren(
    el(doc, 'option', { text: 'All platforms', attrs: { value: '' } }),
    ...PLATFORMS.map((p) => el(doc, 'option', { text: platformName(p), attrs: { value: p } })),
  );

  /** Start of each page seen so far: [null, cursor after page 1, ...]. */
  let starts: (PageCursor | null)[] = [null];
  let page = 0;
  let nextCursor: PageCursor | null = null;
  let filter: CaptureFilter = {};

  const readForm = () =>
    filterFromForm({
      caseId: caseSelect.value,
      platform: platformSelect.value,
      author: value('filter-author'),
      text: value('filter-text'),
      from: value('filter-from'),
      to: value('filter-to'),
      hasProfile: value('filter-profile'),
    });

  const load = async () => {
    const result = await queryCaptures(ctx.db, filter, starts[page] ?? null);
    nextCursor = result.next;
    const events = new Map<string, CustodyEvent[]>();
    await Promise.all(result.captures.map(async (c) => events.set(c.id, await custodyFor(ctx.db, c.id))));
    renderItems(ctx, list, result.captures, events);
    damagedList.replaceChildren(damagedNotes(doc, result.damaged));
    const first = page * 50 + 1;
    count.textContent =
      result.captures.length === 0
        ? page === 0
          ? 'No captures match.'
          : 'No more captures.'
        : `Showing ${first}–${first + result.captures.length - 1}${result.next ? ', more on the next page' : ''}.`;
    pageLabel.textContent = `Page ${page + 1}`;
    prev.disabled = page === 0;
    next.disabled = nextCursor === null;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    filter = readForm();
    starts = [null];
    page = 0;
    void load().catch((e: unknown) => ctx.say(String(e), 'error'));
  });
  form.addEventListener('reset', () => {
    setTimeout(() => {
      caseSelect.value = ctx.settings().activeCaseId;
      form.requestSubmit();
    });
  });
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    starts[page + 1] = nextCursor;
    page++;
    void load();
  });
  prev.addEventListener('click', () => {
    if (page === 0) return;
    page--;
    void load();
  });
  list.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button') : null;
    if (!target) return;
    const id = target.dataset.open;
    if (id) void ctx.openDetail(id);
    const author = target.dataset.author;
    if (author)
      void ctx.openAuthor(
        JSON.parse(author) as { platform: string; handle: string | null; displayName: string | null },
      );
  });

  const setCaseOptions = () => {
    const current = caseSelect.value || ctx.settings().activeCaseId;
    caseSelect.replaceChildren(
      el(doc, 'option', { text: 'All cases', attrs: { value: '' } }),
      ...caseChoices(ctx).map((c) => el(doc, 'option', { text: c.label, attrs: { value: c.id } })),
    );
    caseSelect.value = current;
  };
  setCaseOptions();
  filter = readForm();

  return {
    refresh: load,
    setCaseOptions,
    focusCapture: (id) => list.querySelector<HTMLButtonElement>(`button[data-open="${CSS.escape(id)}"]`)?.focus(),
  };
}

/** Cases to choose from, with "Unfiled" for captures made before any case existed. */
export function caseChoices(ctx: ManagerContext): { id: string; label: string }[] {
  return [...ctx.cases().map((c) => ({ id: c.id, label: c.name })), { id: 'default', label: 'Unfiled (before setup)' }];
}

function renderItems(
  ctx: ManagerContext,
  list: HTMLElement,
  captures: readonly Capture[],
  events: ReadonlyMap<string, CustodyEvent[]>,
): void {
  const { doc } = ctx;
  if (captures.length === 0) {
    list.replaceChildren(el(doc, 'li', { className: 'capture-list__empty', text: 'No captures to show.' }));
    return;
  }
  list.replaceChildren(
    ...captures.map((c) => {
      const notes = annotationsOf(c.id, events.get(c.id) ?? []);
      const exhibit = exhibitReferences([c], events.get(c.id) ?? []).get(c.id);
      const item = el(doc, 'li', { className: 'capture capture--manager', attrs: { 'data-capture-id': c.id } });
      const excerpt = c.text ? displayText(c.text.length > 200 ? `${c.text.slice(0, 200)}…` : c.text) : '';
      item.append(
        el(doc, 'div', {
          className: 'capture__who',
          text: `${exhibit ? `Exhibit ${exhibit} · ` : ''}${platformName(c.platform)} · ${authorText(c.author)}`,
        }),
        el(doc, 'div', {
          className: 'capture__at',
          text: `Captured: ${formatCapturedAt(c.capturedAt)} · case: ${ctx.caseName(c.caseId)}`,
        }),
        excerpt ? el(doc, 'div', { className: 'capture__text', text: excerpt, attrs: { dir: 'auto' } }) : '',
        el(doc, 'div', {
          className: `capture__reports${notes.reports.length ? '' : ' capture__reports--none'}`,
          text: reportStatus(notes.reports),
        }),
        notes.tags.length
          ? el(doc, 'div', { className: 'capture__tags', text: `Tags: ${notes.tags.map(displayText).join(', ')}` })
          : '',
      );
      const actions = el(doc, 'div', { className: 'capture__actions' });
      const open = button(doc, 'Open', {
        className: 'capture__open',
        attrs: { 'data-open': c.id, 'aria-label': `Open capture: ${authorText(c.author)}, ${c.capturedAt}` },
      });
      const author = button(doc, 'All by this author', {
        className: 'capture__author',
        attrs: {
          'data-author': JSON.stringify({
            platform: c.platform,
            handle: c.author.handle,
            displayName: c.author.displayName,
          }),
        },
      });
      const choose = el(doc, 'input', {
        className: 'capture__choose',
        id: `choose-${c.id}`,
        attrs: { type: 'checkbox', 'data-choose': c.id },
      });
      choose.checked = ctx.chosen.has(c.id);
      choose.addEventListener('change', () => {
        if (choose.checked) ctx.chosen.add(c.id);
        else ctx.chosen.delete(c.id);
        ctx.chosenChanged();
      });
      const chooseLabel = el(doc, 'label', {
        className: 'capture__choose-label',
        text: 'Choose for a platform report',
        attrs: { for: choose.id },
      });
      actions.append(open, author, el(doc, 'span', { className: 'capture__choose-wrap' }, choose, chooseLabel));
      item.append(actions);
      return item;
    }),
  );
}
