/**
 * The element picker: on a site Witness Box has no adapter for (a comment
 * under a news article, a forum), or whenever the user wants to say exactly
 * what to capture. Hovering highlights, a click or Enter chooses, Esc
 * cancels, ↑ widens to the surrounding element and ↓ narrows back.
 *
 * The overlay lives in a closed shadow root with `pointer-events: none`, so
 * the page underneath receives the hover and page styles cannot hide it; it
 * is removed before the capture starts, so it never appears in the evidence.
 * While picking, clicks are swallowed so a link or button in the page is not
 * followed. Only the user's own events count (see ./trusted): a page cannot
 * move the outline, pick or cancel.
 */

import { fromUser } from './trusted';

export interface PickerHandlers {
  onPick(element: HTMLElement): void;
  onCancel(): void;
}

export const PICKER_HINT =
  'Click what you want to capture (or press Enter). ↑ takes in more around it, ↓ less. Esc cancels.';

/** Which element is chosen, moved by the pointer and the arrow keys. DOM only, no drawing: tested on its own. */
export class PickerFocus {
  /** Elements ↑ went up from, innermost first, so ↓ retraces the way back before it guesses a child. */
  private readonly trail: Element[] = [];
  current: Element | null = null;

  /**
   * The element under the pointer. After ↑ the wider choice holds while the
   * pointer stays inside it, so the hand moving to click does not undo it.
   */
  pointAt(element: Element): void {
    if (element === this.current || (this.trail.length > 0 && this.current?.contains(element))) return;
    this.current = element;
    this.trail.length = 0;
  }

  /** The surrounding element; never the page's <body> or <html>, which "Capture whole page" covers. */
  widen(): void {
    const parent = this.current?.parentElement;
    if (
      !this.current ||
      !parent ||
      parent === parent.ownerDocument.body ||
      parent === parent.ownerDocument.documentElement
    )
      return;
    this.trail.push(this.current);
    this.current = parent;
  }

  narrow(): void {
    const next = this.trail.pop() ?? this.current?.firstElementChild ?? null;
    if (next) this.current = next;
  }
}

const SWALLOWED = [
  'click',
  'auxclick',
  'dblclick',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'contextmenu',
] as const;

/** Starts picking in `win`; returns the function that stops it and removes every trace. */
export function startPicker(win: Window, handlers: PickerHandlers): () => void {
  const doc = win.document;
  const focus = new PickerFocus();
  const host = doc.createElement('witness-box-picker');
  host.style.setProperty('pointer-events', 'none', 'important');
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = `
    .box{position:fixed;z-index:2147483646;pointer-events:none;outline:3px solid #d62828;outline-offset:1px;background:rgba(214,40,40,.08);display:none}
    .hint{position:fixed;z-index:2147483647;pointer-events:none;left:50%;transform:translateX(-50%);top:12px;max-width:90vw;padding:10px 14px;border-radius:8px;
      font:14px/1.4 system-ui,sans-serif;color:#fff;background:#1d3557;box-shadow:0 4px 16px rgba(0,0,0,.3)}
    .what{display:block;opacity:.85;font-size:12px}`;
  const box = doc.createElement('div');
  box.className = 'box';
  const hint = doc.createElement('div');
  hint.className = 'hint';
  hint.setAttribute('role', 'status');
  const what = doc.createElement('span');
  what.className = 'what';
  hint.append(PICKER_HINT, what);
  root.append(style, box, hint);
  doc.documentElement.append(host);

  const draw = () => {
    const element = focus.current;
    if (!element?.isConnected) {
      box.style.display = 'none';
      what.textContent = '';
      return;
    }
    const r = element.getBoundingClientRect();
    Object.assign(box.style, {
      display: 'block',
      left: `${r.left}px`,
      top: `${r.top}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
    });
    what.textContent = `${describe(element)} · ${Math.round(r.width)}×${Math.round(r.height)}`;
    // Keep the hint off the element being chosen when that element sits at the top.
    const hintBelow = r.top < 80 && r.bottom < win.innerHeight - 80;
    hint.style.top = hintBelow ? '' : '12px';
    hint.style.bottom = hintBelow ? '12px' : '';
  };

  const elementFrom = (event: Event): Element | null => {
    const origin = event.composedPath()[0];
    return origin instanceof Element && origin !== host && origin !== doc.body && origin !== doc.documentElement
      ? origin
      : null;
  };

  // Events the page dispatches itself are ignored: only the user's pointer, clicks and keys choose what is captured.
  const onMove = (event: MouseEvent) => {
    if (!fromUser(event)) return;
    const element = elementFrom(event);
    if (element) {
      focus.pointAt(element);
      draw();
    }
  };
  const swallow = (event: Event) => {
    if (!fromUser(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type !== 'click') return;
    // What is outlined is what is captured: a click inside it keeps it, however far ↑ widened it.
    const element = elementFrom(event);
    if (element && !focus.current?.contains(element)) focus.pointAt(element);
    choose();
  };
  const onKey = (event: KeyboardEvent) => {
    if (!fromUser(event)) return;
    const actions: Record<string, () => void> = {
      Escape: () => finish(() => handlers.onCancel()),
      Enter: choose,
      ArrowUp: () => (focus.widen(), draw()),
      ArrowDown: () => (focus.narrow(), draw()),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    action();
  };

  function choose(): void {
    const element = focus.current;
    // An SVG shape cannot be rendered on its own: ↑ reaches the HTML element around it.
    if (element instanceof HTMLElement && element.isConnected) finish(() => handlers.onPick(element));
  }

  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    win.removeEventListener('mousemove', onMove, true);
    win.removeEventListener('keydown', onKey, true);
    win.removeEventListener('scroll', draw, true);
    win.removeEventListener('resize', draw, true);
    for (const type of SWALLOWED) win.removeEventListener(type, swallow, true);
    host.remove();
  }
  function finish(then: () => void): void {
    stop();
    then();
  }

  win.addEventListener('mousemove', onMove, true);
  win.addEventListener('keydown', onKey, true);
  win.addEventListener('scroll', draw, true);
  win.addEventListener('resize', draw, true);
  for (const type of SWALLOWED) win.addEventListener(type, swallow, true);

  // Keyboard users start from whatever is in the middle of the screen.
  const middle = doc.elementFromPoint?.(win.innerWidth / 2, win.innerHeight / 2);
  if (middle instanceof Element && middle !== doc.body && middle !== doc.documentElement && middle !== host)
    focus.pointAt(middle);
  draw();
  return stop;
}

/** "article#comment-42" / "div.comment": enough for the user to tell what is outlined. */
function describe(element: Element): string {
  const tag = element.tagName.toLowerCase();
  if (element.id) return `${tag}#${element.id}`;
  const firstClass = element.classList[0];
  return firstClass ? `${tag}.${firstClass}` : tag;
}
