import { afterEach, describe, expect, it, vi } from 'vitest';
import { PickerFocus, startPicker } from '../../../src/capture/picker';

/** jsdom makes only untrusted events: these tests say which of them stand for the user, and which for the page. */
const input = vi.hoisted(() => ({ fromPage: false }));
vi.mock('../../../src/capture/trusted', () => ({ fromUser: () => !input.fromPage }));

function page(): { article: HTMLElement; body: HTMLElement; text: HTMLElement; link: HTMLAnchorElement } {
  document.body.innerHTML = `
    <main><section id="comments">
      <article id="c1"><div class="body"><p id="text">You will regret this <a id="link" href="/elsewhere">here</a></p></div></article>
    </section></main>`;
  const get = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
  return { article: get('#c1'), body: get('#c1 .body'), text: get('#text'), link: get<HTMLAnchorElement>('#link') };
}

function move(target: Element): void {
  target.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true }));
}

function key(name: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
  document.body.dispatchEvent(event);
  return event;
}

afterEach(() => {
  input.fromPage = false;
  document.body.innerHTML = '';
  document.querySelectorAll('witness-box-picker').forEach((host) => host.remove());
});

describe('PickerFocus', () => {
  it('↑ widens to the surrounding element and ↓ retraces the same way back', () => {
    const { article, body, text } = page();
    const focus = new PickerFocus();
    focus.pointAt(text);
    focus.widen();
    expect(focus.current).toBe(body);
    focus.widen();
    expect(focus.current).toBe(article);
    focus.narrow();
    expect(focus.current).toBe(body);
    focus.narrow();
    expect(focus.current).toBe(text);
  });

  it('↓ with no way back goes to the first child; at the innermost element it stays', () => {
    const { article, body, link } = page();
    const focus = new PickerFocus();
    focus.pointAt(article);
    focus.narrow();
    expect(focus.current).toBe(body);
    focus.pointAt(link);
    focus.narrow();
    expect(focus.current).toBe(link);
  });

  it('never widens to <body> or <html>: that is "Capture whole page"', () => {
    page();
    const focus = new PickerFocus();
    const main = document.querySelector('main')!;
    focus.pointAt(main);
    focus.widen();
    expect(focus.current).toBe(main);
  });

  it('after ↑ the pointer moving inside the wider choice keeps it; leaving it chooses afresh', () => {
    const { article, body, text, link } = page();
    const focus = new PickerFocus();
    focus.pointAt(text);
    focus.widen();
    focus.pointAt(text);
    focus.pointAt(link);
    expect(focus.current).toBe(body);
    focus.pointAt(article);
    expect(focus.current).toBe(article);
    focus.pointAt(link);
    expect(focus.current).toBe(link);
  });
});

describe('startPicker', () => {
  it('hover then click picks the outlined element, swallows the click and removes the overlay', () => {
    const { text, link } = page();
    const onPick = vi.fn();
    const followed = vi.fn();
    link.addEventListener('click', followed);
    startPicker(window, { onPick, onCancel: vi.fn() });
    expect(document.querySelector('witness-box-picker')).not.toBeNull();
    move(text);
    link.click();
    expect(onPick).toHaveBeenCalledWith(text);
    expect(followed).not.toHaveBeenCalled();
    expect(document.querySelector('witness-box-picker')).toBeNull();
  });

  it('a click inside the widened element picks the widened element, not the spot clicked', () => {
    const { article, text, link } = page();
    const onPick = vi.fn();
    startPicker(window, { onPick, onCancel: vi.fn() });
    move(text);
    key('ArrowUp');
    key('ArrowUp');
    link.click();
    expect(onPick).toHaveBeenCalledWith(article);
  });

  it('a click outside the outlined element picks what was clicked', () => {
    const { text } = page();
    const onPick = vi.fn();
    startPicker(window, { onPick, onCancel: vi.fn() });
    move(text);
    const heading = document.createElement('h2');
    document.body.prepend(heading);
    heading.click();
    expect(onPick).toHaveBeenCalledWith(heading);
  });

  it('Enter picks the outlined element; the keys do not reach the page', () => {
    const { body, text } = page();
    const onPick = vi.fn();
    const pageKeys = vi.fn();
    startPicker(window, { onPick, onCancel: vi.fn() });
    document.body.addEventListener('keydown', pageKeys);
    move(text);
    expect(key('ArrowUp').defaultPrevented).toBe(true);
    key('Enter');
    expect(onPick).toHaveBeenCalledWith(body);
    expect(pageKeys).not.toHaveBeenCalled();
  });

  it('Esc cancels, and afterwards the page works as before', () => {
    const { text, link } = page();
    const onPick = vi.fn();
    const onCancel = vi.fn();
    const followed = vi.fn((event: Event) => event.preventDefault());
    startPicker(window, { onPick, onCancel });
    move(text);
    key('Escape');
    expect(onCancel).toHaveBeenCalledOnce();
    expect(document.querySelector('witness-box-picker')).toBeNull();
    link.addEventListener('click', followed);
    link.click();
    expect(followed).toHaveBeenCalledOnce();
    expect(onPick).not.toHaveBeenCalled();
  });

  it('an SVG shape is not picked on its own: Enter does nothing until ↑ reaches HTML', () => {
    page();
    document
      .querySelector('#c1')!
      .insertAdjacentHTML('beforeend', '<span id="icon"><svg><path id="shape" d="M0 0"></path></svg></span>');
    const onPick = vi.fn();
    startPicker(window, { onPick, onCancel: vi.fn() });
    move(document.querySelector('#shape')!);
    key('Enter');
    expect(onPick).not.toHaveBeenCalled();
    key('ArrowUp');
    key('ArrowUp');
    key('Enter');
    expect(onPick).toHaveBeenCalledWith(document.querySelector('#icon'));
  });

  it('the stop function removes the overlay and every listener', () => {
    const { text } = page();
    const onPick = vi.fn();
    const stop = startPicker(window, { onPick, onCancel: vi.fn() });
    stop();
    move(text);
    key('Enter');
    expect(onPick).not.toHaveBeenCalled();
    expect(document.querySelector('witness-box-picker')).toBeNull();
  });
});

describe('startPicker ignores what the page dispatches itself', () => {
  it('a synthetic pointer, click or key from the page neither moves the outline, picks nor cancels', () => {
    const { article, text, link } = page();
    const onPick = vi.fn();
    const onCancel = vi.fn();
    startPicker(window, { onPick, onCancel });
    move(text);
    input.fromPage = true;
    move(article);
    const followed = vi.fn((e: Event) => e.defaultPrevented);
    link.addEventListener('click', followed);
    link.addEventListener('click', (e) => e.preventDefault()); // jsdom cannot navigate
    link.click();
    for (const name of ['ArrowUp', 'Enter', 'Escape']) expect(key(name).defaultPrevented).toBe(false);
    expect(onPick).not.toHaveBeenCalled();
    expect(onCancel).not.toHaveBeenCalled();
    // The page's click was not the user's: it is left alone, not swallowed.
    expect(followed).toHaveReturnedWith(false);
    input.fromPage = false;
    key('Enter');
    expect(onPick).toHaveBeenCalledWith(text);
  });
});
