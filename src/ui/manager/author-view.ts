import { allCaptureRecords } from '../../evidence/store';
import { button, el, required } from '../dom';
import { damagedNotes } from '../capture-list';
import { displayText, formatCapturedAt, platformName } from '../format';
import { longText } from '../long-text';
import { authorGroup, type AuthorKey } from './authors';
import { capturesPerDay, renderDayChart } from './chart';
import type { ManagerContext } from './context';

/** Every capture of one account, across handle changes, with counts, first and last seen, and a chart per day. */
export function startAuthorView(ctx: ManagerContext): { open(key: AuthorKey): Promise<void>; close(): void } {
  const { doc } = ctx;
  const section = required<HTMLElement>(doc, '#author-view');
  const close = () => {
    section.hidden = true;
    section.replaceChildren();
  };
  const open = async (key: AuthorKey) => {
    const { captures, damaged } = await allCaptureRecords(ctx.db);
    const group = authorGroup(captures, key);
    const name = key.handle ? `@${displayText(key.handle)}` : displayText(key.displayName ?? 'unknown author');
    const heading = el(doc, 'h2', {
      id: 'author-title',
      text: `Account ${name} on ${platformName(key.platform)}`,
      attrs: { tabindex: '-1' },
    });
    const back = button(doc, 'Back to the list', { id: 'author-back' });
    back.addEventListener('click', () => {
      close();
      ctx.showList();
    });
    const facts: [string, string][] = [
      ['Posts captured', String(group.posts)],
      ['Profile pages captured', String(group.profiles)],
      ['First seen', group.firstSeen ? formatCapturedAt(group.firstSeen) : '—'],
      ['Last seen', group.lastSeen ? formatCapturedAt(group.lastSeen) : '—'],
      ['Handles', group.handles.map((h) => `@${displayText(h)}`).join(', ') || '—'],
      ['Names shown', group.displayNames.map(displayText).join(', ') || '—'],
      ['Account ids', group.accountIds.map(displayText).join(', ') || 'not shown by the platform'],
    ];
    const table = el(
      doc,
      'table',
      { className: 'facts', id: 'author-facts' },
      el(doc, 'caption', { text: 'This account' }),
    );
    const body = el(doc, 'tbody');
    for (const [k, v] of facts)
      body.append(el(doc, 'tr', {}, el(doc, 'th', { text: k, attrs: { scope: 'row' } }), el(doc, 'td', { text: v })));
    table.append(body);
    const list = el(doc, 'ul', {
      className: 'capture-list',
      id: 'author-captures',
      attrs: { 'aria-label': 'Captures of this account' },
    });
    for (const c of group.captures) {
      const open = button(doc, 'Open', { attrs: { 'aria-label': `Open ${c.kind} captured ${c.capturedAt}` } });
      open.addEventListener('click', () => {
        close();
        void ctx.openDetail(c.id);
      });
      list.append(
        el(
          doc,
          'li',
          { className: 'capture', attrs: { 'data-capture-id': c.id } },
          el(doc, 'div', {
            className: 'capture__who',
            text: `${c.kind === 'profile' ? 'Profile page' : 'Post'} · ${displayText(c.author.displayName ?? '')} @${displayText(c.author.handle ?? '')}`,
          }),
          el(doc, 'div', {
            className: 'capture__at',
            text: `Captured: ${formatCapturedAt(c.capturedAt)} · case: ${ctx.caseName(c.caseId)}`,
          }),
          c.text && c.kind !== 'profile' ? longText(doc, c.text, { className: 'capture__text' }) : '',
          open,
        ),
      );
    }
    section.replaceChildren(
      el(doc, 'div', { className: 'actions' }, back),
      heading,
      table,
      renderDayChart(doc, capturesPerDay(group.captures.filter((c) => c.kind !== 'profile')), platformName),
      el(doc, 'h3', { text: 'Captures' }),
      list,
      damagedNotes(doc, damaged),
    );
    section.hidden = false;
    heading.focus();
  };
  return { open, close };
}
