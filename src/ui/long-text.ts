import { displayText } from './format';

/**
 * A captured text shown in a view: the first characters, and a "Show all"
 * button for the rest. A 1 MB post text laid out whole took 28 s in the
 * author view (every capture of the author is on one page); the start of it
 * is what a reader needs to recognise the post, and the whole text is one
 * click away.
 */

export const SHOWN_CHARACTERS = 2_000;

/** Where to cut `text` near `limit` without splitting a surrogate pair. */
function cutAt(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

export interface LongTextOptions {
  tag?: string;
  className?: string;
  id?: string;
  /** Characters shown before "Show all". */
  limit?: number;
}

/** `text` made safe to show (displayText), cut after `limit` characters with a "Show all" button. */
export function longText(doc: Document, text: string, options: LongTextOptions = {}): HTMLElement {
  const { tag = 'div', className, id, limit = SHOWN_CHARACTERS } = options;
  const box = doc.createElement(tag);
  if (className) box.className = className;
  if (id) box.id = id;
  box.dir = 'auto';
  if (text.length <= limit) {
    box.textContent = displayText(text);
    return box;
  }
  const shown = doc.createElement('span');
  shown.textContent = `${displayText(text.slice(0, cutAt(text, limit)))}…`;
  const all = doc.createElement('button');
  all.type = 'button';
  all.className = 'show-all';
  all.textContent = `Show all (${text.length.toLocaleString('en-GB')} characters)`;
  const gap = doc.createTextNode(' ');
  all.addEventListener('click', () => {
    shown.textContent = displayText(text);
    gap.remove();
    all.remove();
  });
  box.append(shown, gap, all);
  return box;
}
