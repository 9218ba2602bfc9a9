/**
 * Only the user's own gestures may steer a capture. A page can dispatch
 * events that look exactly like a right-click, a pointer move, a click or a
 * key press, at whatever element it likes, but only the browser can make
 * one whose `isTrusted` is true
 * (https://dom.spec.whatwg.org/#dom-event-istrusted). The content script and
 * the picker ignore every other event. Its own module, so unit tests (where
 * jsdom can only make untrusted events) can stand in for the user.
 */
export function fromUser(event: Event): boolean {
  return event.isTrusted;
}
