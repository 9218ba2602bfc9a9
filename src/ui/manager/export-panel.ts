import { selectCaptures, type ExportSelection } from '../../bundle/collect';
import { countExhibits, countsLine } from '../../bundle/exhibit-facts';
import { EXPORT_PROFILES, isExportProfile, type BundleIncludes, type ExportProfile } from '../../bundle/export';
import {
  assignExhibitReferences,
  caseExhibits,
  captureOrder,
  DEFAULT_EXHIBIT_FORMAT,
  recordStatementEdit,
  setExhibitFormat,
  statementEdits,
} from '../../evidence/exhibits';
import type { Capture } from '../../evidence/model';
import { allCustody } from '../../evidence/store';
import type { ExportChoice } from '../../messages';
import { button, el, errorText, field, required } from '../dom';
import { displayText, platformName } from '../format';
import type { ManagerContext } from './context';
import { PLATFORMS } from './list';

/**
 * What the export will hold, chosen and shown before it runs: for a platform
 * report, the whole case, one platform's captures or the ones ticked in the
 * list, with or without notes and names; a preview that says exactly what
 * goes in; and, for the police bundle, each producer's draft statement and
 * the case's exhibit reference format, both edited here and recorded in the
 * custody log.
 */
export interface ExportPanel {
  choice(): ExportChoice;
  /** Re-reads the active case (after a capture, import, move or case switch), giving references not yet given. */
  refresh(): Promise<void>;
  /** Says again what the export will hold (after a tick in the list). */
  update(): void;
}

export function mountExportPanel(ctx: ManagerContext, root: HTMLElement): ExportPanel {
  const { doc } = ctx;
  const profileSelect = required<HTMLSelectElement>(doc, '#export-profile');

  const scope = el(doc, 'select', { id: 'export-scope' });
  scope.append(
    el(doc, 'option', { text: 'The whole case', attrs: { value: 'case' } }),
    el(doc, 'option', { text: 'One platform', attrs: { value: 'platform' } }),
    el(doc, 'option', { text: 'Only the captures chosen in the list', attrs: { value: 'chosen' } }),
  );
  const platform = el(doc, 'select', { id: 'export-platform' });
  platform.append(...PLATFORMS.map((p) => el(doc, 'option', { text: platformName(p), attrs: { value: p } })));
  const notes = el(doc, 'input', { id: 'export-notes', attrs: { type: 'checkbox' } });
  const names = el(doc, 'input', { id: 'export-names', attrs: { type: 'checkbox' } });
  const platformOptions = el(
    doc,
    'fieldset',
    { id: 'platform-options', className: 'export-options' },
    el(doc, 'legend', { text: 'What the platform report holds' }),
    field(doc, 'Captures', scope),
    field(doc, 'Platform', platform),
    el(
      doc,
      'div',
      { className: 'check' },
      notes,
      el(doc, 'label', { text: 'Notes added to the captures', attrs: { for: notes.id } }),
    ),
    el(
      doc,
      'div',
      { className: 'check' },
      names,
      el(doc, 'label', {
        text: 'Names: the case, who captured and exported it, on whose behalf',
        attrs: { for: names.id },
      }),
    ),
  );
  const preview = el(doc, 'p', { id: 'export-preview', attrs: { 'aria-live': 'polite' } });

  // Police bundle: the draft statement of each producer, and the reference format.
  const producer = el(doc, 'select', { id: 'statement-producer' });
  const name = el(doc, 'input', { id: 'statement-name', attrs: { type: 'text', autocomplete: 'name' } });
  const role = el(doc, 'input', { id: 'statement-role', attrs: { type: 'text' } });
  const context = el(doc, 'textarea', { id: 'statement-context', attrs: { rows: '3' } });
  const saveStatement = button(doc, 'Save statement', { id: 'save-statement' });
  const format = el(doc, 'input', { id: 'exhibit-format', attrs: { type: 'text', spellcheck: 'false' } });
  const saveFormat = button(doc, 'Save format', { id: 'save-exhibit-format' });
  const statement = el(
    doc,
    'details',
    { id: 'statement-editor', className: 'export-options' },
    el(doc, 'summary', { text: 'Draft statement and exhibit references (police bundle)' }),
    el(doc, 'p', {
      className: 'help',
      text: 'The police bundle carries a draft exhibit statement for each person who captured evidence (statement.txt), for an officer to adapt. Check the name, add the role and context, and save before exporting; each change is recorded in the custody log.',
    }),
    field(doc, 'Statement of', producer),
    field(doc, 'Full name', name),
    field(doc, 'Role', role, 'For example: volunteer for the candidate, caseworker'),
    field(doc, 'Context', context, 'How you came to see and capture these posts, in your own words'),
    saveStatement,
    field(
      doc,
      'Exhibit reference format',
      format,
      '{initials} and {n}: SO1, SO2 … References already given stay as they are.',
    ),
    saveFormat,
  );
  root.replaceChildren(platformOptions, preview, statement);

  let captures: Capture[] = [];
  let edits = new Map<string, { name: string; role: string; context: string }>();

  const profile = (): ExportProfile => (isExportProfile(profileSelect.value) ? profileSelect.value : 'police');
  const selection = (): ExportSelection | undefined => {
    if (scope.value === 'platform') return { platform: platform.value };
    if (scope.value === 'chosen') return { captureIds: captures.filter((c) => ctx.chosen.has(c.id)).map((c) => c.id) };
    return undefined;
  };
  const includes = (): BundleIncludes => ({ notes: notes.checked, staffNames: names.checked });

  const showPreview = () => {
    const isPlatform = profile() === 'platform';
    platformOptions.hidden = !isPlatform;
    statement.hidden = isPlatform;
    platform.disabled = scope.value !== 'platform';
    const chosen = selectCaptures(captures, isPlatform ? selection() : undefined);
    const counts = countExhibits(chosen);
    const platforms = [...new Set(chosen.map((c) => platformName(c.platform)))];
    const what = isPlatform
      ? `${EXPORT_PROFILES.platform.label}; ${notes.checked ? 'with' : 'no'} notes; ${names.checked ? 'with' : 'no'} names of the people involved`
      : `${EXPORT_PROFILES.police.label}: every file, notes, names, the custody log and the draft statements`;
    preview.textContent =
      chosen.length === 0
        ? 'Nothing would be exported: no capture of the active case matches what is chosen.'
        : `This bundle will hold ${countsLine(counts)}${platforms.length ? ` from ${platforms.join(', ')}` : ''}. ${what}.`;
    preview.dataset.count = String(chosen.length);
  };

  const showStatement = () => {
    const edit = edits.get(producer.value);
    name.value = edit?.name ?? producer.value;
    role.value = edit?.role ?? '';
    context.value = edit?.context ?? '';
  };

  const refresh = async () => {
    const caseId = ctx.settings().activeCaseId;
    await assignExhibitReferences(ctx.db, caseId, ctx.settings().capturedBy);
    captures = captureOrder(await ctx.db.getAllFromIndex('captures', 'caseId', caseId));
    const events = await allCustody(ctx.db);
    edits = statementEdits(events, caseId);
    format.value = caseExhibits(events, caseId).format || DEFAULT_EXHIBIT_FORMAT;
    const producers = [...new Set(captures.map((c) => c.capturedBy))];
    const current = producer.value;
    producer.replaceChildren(...producers.map((p) => el(doc, 'option', { text: displayText(p), attrs: { value: p } })));
    if (producers.includes(current)) producer.value = current;
    saveStatement.disabled = producers.length === 0;
    showStatement();
    showPreview();
  };

  for (const control of [profileSelect, scope, platform, notes, names]) control.addEventListener('change', showPreview);
  producer.addEventListener('change', showStatement);
  saveStatement.addEventListener('click', () => {
    void recordStatementEdit(
      ctx.db,
      ctx.settings().activeCaseId,
      producer.value,
      { name: name.value, role: role.value, context: context.value },
      ctx.settings().capturedBy,
    )
      .then(async () => {
        await refresh();
        ctx.say(`Statement of ${displayText(name.value.trim())} saved; the change is in the custody log.`, 'success');
      })
      .catch((error: unknown) => ctx.say(errorText(error), 'error'));
  });
  saveFormat.addEventListener('click', () => {
    void setExhibitFormat(ctx.db, ctx.settings().activeCaseId, format.value.trim(), ctx.settings().capturedBy)
      .then(async () => {
        await refresh();
        ctx.say('Exhibit reference format saved; it applies to references not given yet.', 'success');
      })
      .catch((error: unknown) => ctx.say(errorText(error), 'error'));
  });

  return {
    choice: () =>
      profile() === 'platform'
        ? { profile: 'platform', ...(selection() && { selection: selection() }), include: includes() }
        : { profile: 'police' },
    refresh,
    update: showPreview,
  };
}
