import {
  conversationLine,
  type ArtifactRef,
  type Capture,
  type CaptureReport,
  type CustodyEvent,
  type ReportRecipientKind,
} from '../../evidence/model';
import { effectiveArtifacts } from '../../evidence/effective';
import {
  addNote,
  custodyFor,
  deleteCapture,
  getCapture,
  moveCapture,
  readArtifact,
  recordReport,
  tagCapture,
} from '../../evidence/store';
import { POLICE_ADVICE, PLATFORM_REPORTING } from '../../bundle/where-to-report';
import { READ_FIELDS, unreadWarning, type AdapterReading } from '../../sites/read';
import { button, el, errorText, field, formatBytes, required } from '../dom';
import { authorText, displayText, formatCapturedAt, platformName } from '../format';
import { longText } from '../long-text';
import { safeImage } from '../safe-image';
import { annotationsOf } from '../../evidence/annotations';
import { exhibitReferences } from '../../evidence/exhibits';
import { describeEvent } from './annotations';
import { caseChoices } from './list';
import type { ManagerContext } from './context';

/**
 * One capture in full: its screenshots (blurred until revealed, loaded only
 * now, from the stored Blobs), every file with its SHA-256, the metadata, the
 * author's profile capture, notes, tags, reports, moving and deleting, and its
 * custody history.
 */

export interface DetailView {
  open(captureId: string): Promise<void>;
  close(): void;
  currentId(): string | null;
}

export function startDetailView(ctx: ManagerContext): DetailView {
  const { doc } = ctx;
  const section = required<HTMLElement>(doc, '#detail-view');
  let urls: string[] = [];
  let current: string | null = null;

  const close = () => {
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    current = null;
    section.hidden = true;
    section.replaceChildren();
  };

  const open = async (captureId: string): Promise<void> => {
    const capture = await getCapture(ctx.db, captureId);
    if (!capture) {
      ctx.say('That capture is no longer stored.', 'error');
      return;
    }
    close();
    current = captureId;
    const events = await custodyFor(ctx.db, captureId);
    const children = await ctx.db.getAllFromIndex('captures', 'parentId', captureId);
    const childEvents = new Map(
      await Promise.all(children.map(async (c) => [c.id, await custodyFor(ctx.db, c.id)] as const)),
    );
    const imageUrl = async (c: Capture, name: string) => {
      const blob = await readArtifact(ctx.db, c.id, name).catch(() => null);
      if (!blob) return null;
      const url = URL.createObjectURL(blob);
      urls.push(url);
      return url;
    };
    const blur = ctx.settings().blurScreenshots;

    const heading = el(doc, 'h2', {
      id: 'detail-title',
      text: `Capture: ${authorText(capture.author)} on ${platformName(capture.platform)}`,
      attrs: { tabindex: '-1' },
    });
    const back = button(doc, 'Back to the list', { id: 'back-to-list' });
    back.addEventListener('click', () => {
      close();
      ctx.showList();
    });
    const authorButton = button(doc, 'All captures of this author', { id: 'detail-author' });
    authorButton.addEventListener(
      'click',
      () =>
        void ctx.openAuthor({
          platform: capture.platform,
          handle: capture.author.handle,
          displayName: capture.author.displayName,
        }),
    );

    section.replaceChildren(
      el(doc, 'div', { className: 'actions' }, back, authorButton),
      heading,
      await screenshots(ctx, capture, events, imageUrl, blur),
      metadataTable(ctx, capture, exhibitReferences([capture], events).get(capture.id)),
      capture.text !== null ? el(doc, 'h3', { text: 'Text read from the page' }) : '',
      capture.text !== null
        ? longText(doc, capture.text, {
            tag: 'blockquote',
            className: 'capture-text',
            id: 'detail-text',
            limit: DETAIL_CHARACTERS,
          })
        : '',
      filesTable(doc, 'Files', capture, events),
      ...(await Promise.all(
        children.map((child) => profileSection(ctx, child, childEvents.get(child.id) ?? [], imageUrl, blur)),
      )),
      tagsSection(ctx, capture, events),
      notesSection(ctx, capture, events),
      reportsSection(ctx, capture, events),
      moveSection(ctx, capture),
      deleteSection(ctx, capture, close),
      historySection(ctx, events),
    );
    section.hidden = false;
    heading.focus();
  };

  return { open, close, currentId: () => current };
}

type ImageUrl = (c: Capture, name: string) => Promise<string | null>;

async function screenshots(
  ctx: ManagerContext,
  capture: Capture,
  events: CustodyEvent[],
  imageUrl: ImageUrl,
  blur: boolean,
): Promise<HTMLElement> {
  const { doc } = ctx;
  const wrap = el(doc, 'div', { className: 'screenshots', id: 'detail-screenshots' });
  const names = effectiveArtifacts(capture, events)
    .artifacts.filter((a) => a.mime.startsWith('image/'))
    .map((a) => a.name);
  const captions: Record<string, string> = {
    'post.png': 'The post as it appeared on screen (post.png)',
    'post-render.png': 'A clean render of the post (post-render.png)',
    'viewport.png': 'The whole browser window (viewport.png)',
    'fullpage.png': 'The page top to bottom, several screens (fullpage.png)',
  };
  for (const name of names) {
    const url = await imageUrl(capture, name);
    if (!url) continue;
    const image = safeImage(doc, { src: url, alt: captions[name] ?? name, blurred: blur });
    image.dataset.artifact = name;
    image.append(el(doc, 'figcaption', { text: captions[name] ?? name }));
    wrap.append(image);
  }
  if (!wrap.childElementCount) wrap.append(el(doc, 'p', { text: 'No screenshots are stored for this capture.' }));
  return wrap;
}

/** Which adapter read the post and how, with the warning the page showed when a key field was not read. */
function readingLine(reading: AdapterReading): string {
  const fields = READ_FIELDS.map((f) => `${f}: ${displayText(reading.fields[f])}`).join('; ');
  const warning = unreadWarning(reading.unread);
  return `${warning ? `${warning} ` : ''}The ${displayText(reading.adapter)} adapter, version ${reading.version} (${fields})`;
}

/** One capture's texts are shown at more length than a list's, still short of what takes seconds to lay out. */
const DETAIL_CHARACTERS = 20_000;

function metadataTable(ctx: ManagerContext, c: Capture, exhibit: string | undefined): HTMLElement {
  const { doc } = ctx;
  const rows: [string, string | HTMLElement][] = [
    ['Exhibit reference', exhibit ?? 'not given yet (given when its case is shown or exported)'],
    ['Platform', platformName(c.platform)],
    ['Kind', c.kind],
    ['Author', c.author.displayName !== null ? displayText(c.author.displayName) : 'no name shown'],
    ['Handle', c.author.handle !== null ? `@${displayText(c.author.handle)}` : 'none shown'],
    ['Profile URL', displayText(c.author.profileUrl ?? 'not recorded')],
    ...(c.conversation ? [['Conversation', displayText(conversationLine(c.conversation))] as [string, string]] : []),
    ['Permalink', displayText(c.permalink ?? 'not recorded')],
    ['Page address', displayText(c.url)],
    [
      'Shown time',
      `${displayText(c.shownTime.raw ?? 'not shown')}${c.shownTime.iso ? ` (${displayText(c.shownTime.iso)})` : ''}`,
    ],
    ...(c.selectedText
      ? [['Selected text', longText(doc, c.selectedText, { limit: DETAIL_CHARACTERS })] as [string, HTMLElement]]
      : []),
    ['Captured at', formatCapturedAt(c.capturedAt)],
    ['Captured at (local)', `${c.capturedAtLocal} ${c.timeZone}`],
    ['Captured by', displayText(c.capturedBy)],
    ['On behalf of', displayText(c.onBehalfOf)],
    ['Case', ctx.caseName(c.caseId)],
    ['Captured with', `Witness Box ${c.extensionVersion}, ${c.browser}, ${c.os}`],
    ...(c.adapter ? [['Read by', readingLine(c.adapter)] as [string, string]] : []),
    ['Capture id', c.id],
  ];
  const table = el(
    doc,
    'table',
    { className: 'facts', id: 'detail-metadata' },
    el(doc, 'caption', { text: 'Details' }),
  );
  const body = el(doc, 'tbody');
  for (const [label, value] of rows)
    body.append(
      el(
        doc,
        'tr',
        {},
        el(doc, 'th', { text: label, attrs: { scope: 'row' } }),
        typeof value === 'string' ? el(doc, 'td', { text: value }) : el(doc, 'td', {}, value),
      ),
    );
  table.append(body);
  return table;
}

function filesTable(doc: Document, title: string, capture: Capture, events: CustodyEvent[]): HTMLElement {
  const { artifacts, missing, pending } = effectiveArtifacts(capture, events);
  const table = el(doc, 'table', { className: 'files' }, el(doc, 'caption', { text: title }));
  table.append(
    el(
      doc,
      'thead',
      {},
      el(
        doc,
        'tr',
        {},
        ...['File', 'Type', 'Size', 'SHA-256', 'Hashed at'].map((h) =>
          el(doc, 'th', { text: h, attrs: { scope: 'col' } }),
        ),
      ),
    ),
  );
  const body = el(doc, 'tbody');
  for (const a of artifacts as ArtifactRef[]) {
    body.append(
      el(
        doc,
        'tr',
        { attrs: { 'data-artifact': a.name } },
        ...[a.name, a.mime, formatBytes(a.bytes)].map((t) => el(doc, 'td', { text: t })),
        el(doc, 'td', { className: 'hash' }, el(doc, 'code', { text: a.sha256 })),
        el(doc, 'td', { text: a.hashedAt }),
      ),
    );
  }
  for (const m of missing)
    body.append(
      el(
        doc,
        'tr',
        {},
        el(doc, 'td', { text: m.name }),
        el(doc, 'td', { text: `not saved: ${displayText(m.reason)}`, attrs: { colspan: '4' } }),
      ),
    );
  for (const p of pending)
    body.append(
      el(
        doc,
        'tr',
        {},
        el(doc, 'td', { text: p }),
        el(doc, 'td', { text: 'still being saved', attrs: { colspan: '4' } }),
      ),
    );
  table.append(body);
  return table;
}

async function profileSection(
  ctx: ManagerContext,
  child: Capture,
  events: CustodyEvent[],
  imageUrl: ImageUrl,
  blur: boolean,
): Promise<HTMLElement> {
  const { doc } = ctx;
  const p = child.profile;
  const facts = p
    ? [
        `State: ${p.state}`,
        p.accountId ? `Account id: ${displayText(p.accountId)}` : '',
        p.followersShown ? `Followers: ${displayText(p.followersShown)}` : '',
        p.joinedShown ? `Joined: ${displayText(p.joinedShown)}` : '',
        p.bio ? `Bio: ${displayText(p.bio)}` : '',
      ].filter(Boolean)
    : [];
  return el(
    doc,
    'section',
    { className: 'profile-capture', attrs: { 'aria-label': "The author's profile page" } },
    el(doc, 'h3', { text: `Author's profile page, captured ${formatCapturedAt(child.capturedAt)}` }),
    el(doc, 'ul', {}, ...facts.map((f) => el(doc, 'li', { text: f }))),
    await screenshots(ctx, child, events, imageUrl, blur),
    filesTable(doc, 'Profile files', child, events),
  );
}

function busyForm(ctx: ManagerContext, form: HTMLFormElement, work: () => Promise<string>, reopenId: string): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    void work()
      .then(async (message) => {
        await ctx.openDetail(reopenId);
        ctx.say(message, 'success');
      })
      .catch((error: unknown) => ctx.say(errorText(error), 'error'))
      .finally(() => {
        if (submit) submit.disabled = false;
      });
  });
}

function submitButton(doc: Document, text: string, id: string): HTMLButtonElement {
  const b = el(doc, 'button', { text, id });
  b.type = 'submit';
  return b;
}

function tagsSection(ctx: ManagerContext, capture: Capture, events: CustodyEvent[]): HTMLElement {
  const { doc } = ctx;
  const { tags } = annotationsOf(capture.id, events);
  const list = el(doc, 'ul', { className: 'tags', id: 'detail-tags' });
  for (const tag of tags) {
    const remove = button(doc, '×', {
      className: 'tag__remove',
      attrs: { 'aria-label': `Remove tag ${displayText(tag)}` },
    });
    remove.addEventListener(
      'click',
      () =>
        void tagCapture(ctx.db, capture.id, tag, 'remove', ctx.settings().capturedBy)
          .then(() => ctx.openDetail(capture.id))
          .then(() => ctx.say(`Tag "${displayText(tag)}" removed.`, 'success'))
          .catch((e: unknown) => ctx.say(errorText(e), 'error')),
    );
    list.append(el(doc, 'li', { className: 'tag' }, el(doc, 'span', { text: displayText(tag) }), remove));
  }
  if (!tags.length) list.append(el(doc, 'li', { className: 'none', text: 'No tags.' }));
  const input = el(doc, 'input', { id: 'tag-input', attrs: { type: 'text', autocomplete: 'off' } });
  const form = el(
    doc,
    'form',
    { className: 'inline-form', id: 'tag-form' },
    field(doc, 'New tag', input),
    submitButton(doc, 'Add tag', 'add-tag'),
  );
  busyForm(
    ctx,
    form,
    async () => {
      await tagCapture(ctx.db, capture.id, input.value, 'add', ctx.settings().capturedBy);
      return `Tag "${displayText(input.value.trim().toLowerCase())}" added.`;
    },
    capture.id,
  );
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'tags-title' } },
    el(doc, 'h3', { id: 'tags-title', text: 'Tags' }),
    list,
    form,
  );
}

function notesSection(ctx: ManagerContext, capture: Capture, events: CustodyEvent[]): HTMLElement {
  const { doc } = ctx;
  const { notes } = annotationsOf(capture.id, events);
  const list = el(doc, 'ul', { className: 'notes', id: 'detail-notes' });
  for (const n of notes)
    list.append(el(doc, 'li', { text: `${displayText(n.note)} (${displayText(n.actor)}, ${n.at})` }));
  if (!notes.length) list.append(el(doc, 'li', { className: 'none', text: 'No notes.' }));
  const input = el(doc, 'textarea', { id: 'note-input', attrs: { rows: '3' } });
  const form = el(
    doc,
    'form',
    { id: 'note-form' },
    field(doc, 'New note', input, 'Notes are added to the custody log and cannot be edited later.'),
    submitButton(doc, 'Add note', 'add-note'),
  );
  busyForm(
    ctx,
    form,
    async () => {
      await addNote(ctx.db, capture.id, input.value, ctx.settings().capturedBy);
      return 'Note added.';
    },
    capture.id,
  );
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'notes-title' } },
    el(doc, 'h3', { id: 'notes-title', text: 'Notes' }),
    list,
    form,
  );
}

function reportsSection(ctx: ManagerContext, capture: Capture, events: CustodyEvent[]): HTMLElement {
  const { doc } = ctx;
  const { reports } = annotationsOf(capture.id, events);
  const table = el(
    doc,
    'table',
    { className: 'reports', id: 'detail-reports' },
    el(doc, 'caption', { text: reports.length ? 'Reports made about this capture' : 'Not reported yet' }),
  );
  if (reports.length) {
    table.append(
      el(
        doc,
        'thead',
        {},
        el(
          doc,
          'tr',
          {},
          ...['To', 'When', 'Reference', 'Outcome'].map((h) => el(doc, 'th', { text: h, attrs: { scope: 'col' } })),
        ),
      ),
    );
    const body = el(doc, 'tbody');
    reports.forEach((r, i) => {
      const cells = [
        `${displayText(r.recipient)} (${r.recipientKind})`,
        r.reportedAt,
        displayText(r.reference || '—'),
      ].map((t) => el(doc, 'td', { text: t }));
      body.append(el(doc, 'tr', {}, ...cells, el(doc, 'td', {}, outcomeForm(ctx, capture, r, i))));
    });
    table.append(body);
  }
  const kind = el(
    doc,
    'select',
    { id: 'report-kind' },
    ...(['platform', 'police', 'other'] as const).map((k) =>
      el(doc, 'option', {
        text: k === 'platform' ? 'The platform' : k === 'police' ? 'A police force' : 'Someone else',
        attrs: { value: k },
      }),
    ),
  );
  const defaultPlatform =
    PLATFORM_REPORTING.find((p) => p.id === capture.platform)?.name ?? platformName(capture.platform);
  const to = el(doc, 'input', {
    id: 'report-to',
    attrs: { type: 'text', list: 'report-recipients', value: defaultPlatform },
  });
  const recipients = el(
    doc,
    'datalist',
    { id: 'report-recipients' },
    ...[...PLATFORM_REPORTING.map((p) => p.name), 'Police (101)', 'Police (999)'].map((n) =>
      el(doc, 'option', { attrs: { value: n } }),
    ),
  );
  kind.addEventListener('change', () => {
    to.value = kind.value === 'platform' ? defaultPlatform : kind.value === 'police' ? 'Police (101)' : '';
  });
  const date = el(doc, 'input', {
    id: 'report-date',
    attrs: { type: 'date', value: new Date().toISOString().slice(0, 10) },
  });
  const reference = el(doc, 'input', { id: 'report-ref', attrs: { type: 'text', autocomplete: 'off' } });
  const outcome = el(doc, 'input', { id: 'report-outcome', attrs: { type: 'text', autocomplete: 'off' } });
  const form = el(
    doc,
    'form',
    { id: 'report-form', className: 'grid-form' },
    field(doc, 'Reported to', kind),
    field(doc, 'Name', to),
    recipients,
    field(doc, 'Date reported', date),
    field(doc, 'Reference number', reference, 'A 101 crime reference or the platform’s ticket number'),
    field(doc, 'Outcome', outcome, 'Leave empty if you have not heard back'),
    submitButton(doc, 'Record report', 'record-report'),
  );
  busyForm(
    ctx,
    form,
    async () => {
      const report: CaptureReport = {
        reportId: crypto.randomUUID(),
        recipientKind: kind.value as ReportRecipientKind,
        recipient: to.value.trim(),
        reportedAt: date.value,
        reference: reference.value.trim(),
        outcome: outcome.value.trim(),
      };
      await recordReport(ctx.db, capture.id, report, ctx.settings().capturedBy);
      return `Report to ${displayText(report.recipient)} recorded.`;
    },
    capture.id,
  );
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'reports-title' } },
    el(doc, 'h3', { id: 'reports-title', text: 'Reports' }),
    el(doc, 'p', { className: 'help', text: `${POLICE_ADVICE.emergency} ${POLICE_ADVICE.nonEmergency}` }),
    table,
    form,
  );
}

/**
 * A report's outcome as it stands, which the user can update when they hear
 * back ("post removed", "no further action"): a new `reported` event with the
 * same report id, so the earlier outcome stays in the custody log.
 */
function outcomeForm(ctx: ManagerContext, capture: Capture, report: CaptureReport, index: number): HTMLFormElement {
  const { doc } = ctx;
  const input = el(doc, 'input', {
    id: `report-outcome-${index}`,
    attrs: {
      type: 'text',
      autocomplete: 'off',
      value: report.outcome,
      placeholder: 'not recorded',
      'aria-label': `Outcome of the report to ${displayText(report.recipient)}`,
    },
  });
  const form = el(
    doc,
    'form',
    { className: 'inline-form report-outcome' },
    input,
    submitButton(doc, 'Update', `update-outcome-${index}`),
  );
  busyForm(
    ctx,
    form,
    async () => {
      if (input.value.trim() === report.outcome)
        throw new Error('The outcome is unchanged: type what you heard back, then Update.');
      await recordReport(ctx.db, capture.id, { ...report, outcome: input.value.trim() }, ctx.settings().capturedBy);
      return `Outcome of the report to ${displayText(report.recipient)} updated; the earlier one stays in the custody log.`;
    },
    capture.id,
  );
  return form;
}

function moveSection(ctx: ManagerContext, capture: Capture): HTMLElement {
  const { doc } = ctx;
  const choices = caseChoices(ctx).filter((c) => c.id !== capture.caseId);
  const select = el(
    doc,
    'select',
    { id: 'move-case' },
    ...choices.map((c) => el(doc, 'option', { text: c.label, attrs: { value: c.id } })),
  );
  const submit = submitButton(doc, 'Move', 'move-capture');
  submit.disabled = choices.length === 0;
  const form = el(
    doc,
    'form',
    { id: 'move-form', className: 'inline-form' },
    field(doc, 'Move to case', select),
    submit,
  );
  busyForm(
    ctx,
    form,
    async () => {
      await moveCapture(ctx.db, capture.id, select.value, ctx.settings().capturedBy);
      return `Moved to ${ctx.caseName(select.value)}.`;
    },
    capture.id,
  );
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'move-title' } },
    el(doc, 'h3', { id: 'move-title', text: 'Case' }),
    el(doc, 'p', { text: `In case: ${ctx.caseName(capture.caseId)}` }),
    form,
  );
}

function deleteSection(ctx: ManagerContext, capture: Capture, close: () => void): HTMLElement {
  const { doc } = ctx;
  const start = button(doc, 'Delete this capture…', { id: 'delete-capture', className: 'danger' });
  const reason = el(doc, 'input', { id: 'delete-reason', attrs: { type: 'text', autocomplete: 'off' } });
  const confirm = button(doc, 'Delete permanently', { id: 'confirm-delete', className: 'danger' });
  const cancel = button(doc, 'Cancel', { id: 'cancel-delete' });
  const box = el(
    doc,
    'div',
    { id: 'delete-confirm', className: 'confirm', attrs: { role: 'group', 'aria-labelledby': 'delete-warning' } },
    el(doc, 'p', {
      id: 'delete-warning',
      text: 'This removes the screenshots, archive and files of this capture and of its profile page for good. The custody log keeps a record of what was deleted, with each file’s SHA-256. Export the case first if it may be needed.',
    }),
    field(doc, 'Reason (optional, kept in the custody log)', reason),
    el(doc, 'div', { className: 'actions' }, confirm, cancel),
  );
  box.hidden = true;
  start.addEventListener('click', () => {
    box.hidden = false;
    start.hidden = true;
    reason.focus();
  });
  cancel.addEventListener('click', () => {
    box.hidden = true;
    start.hidden = false;
    start.focus();
  });
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    void deleteCapture(ctx.db, capture.id, ctx.settings().capturedBy, reason.value)
      .then(async () => {
        close();
        ctx.showList();
        await ctx.refreshList();
        ctx.say('Capture deleted. The custody log records what was deleted and its fingerprints.', 'success');
      })
      .catch((e: unknown) => {
        confirm.disabled = false;
        ctx.say(errorText(e), 'error');
      });
  });
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'delete-title' } },
    el(doc, 'h3', { id: 'delete-title', text: 'Delete' }),
    start,
    box,
  );
}

function historySection(ctx: ManagerContext, events: CustodyEvent[]): HTMLElement {
  const { doc } = ctx;
  const list = el(doc, 'ol', { className: 'history', id: 'detail-history' });
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    list.append(
      el(doc, 'li', {
        text: `#${e.seq} ${e.at} · ${displayText(e.actor)} · ${displayText(describeEvent(e, ctx.caseName))}`,
      }),
    );
  }
  return el(
    doc,
    'section',
    { attrs: { 'aria-labelledby': 'history-title' } },
    el(doc, 'h3', { id: 'history-title', text: 'Custody history' }),
    list,
  );
}
