import { describe, expect, it } from 'vitest';
import { adapterForPage, extractPage } from '../../../src/sites';
import { facebookAdapter } from '../../../src/sites/facebook';
import { resolveShownTime } from '../../../src/sites/relative-time';
import { documentAt, fixtureLoader, itExtractsEachPage, listedPages, requireElement } from './fixture-pages';

const fixture = fixtureLoader('facebook');
const { expected } = fixture;
// Facebook's other pages are checked in facebook.test.ts.
const PAGES = await listedPages('facebook', { only: ['messages.html', 'messages-2025.html'] });
const THREAD_URL = new URL('https://www.facebook.com/messages/t/100087654321098/');
const MESSENGER_URL = new URL('https://www.messenger.com/t/100087654321098/');
const GARY = {
  displayName: 'Gary Thornbury',
  handle: 'gary.thornbury.77',
  profileUrl: 'https://www.facebook.com/gary.thornbury.77',
};

const load = (url: URL = THREAD_URL): Document => fixture.load('messages.html', url);

function rowWithText(doc: Document, text: string): Element {
  const row = Array.from(doc.querySelectorAll('div[role="row"]')).find((el) => el.textContent?.includes(text));
  if (!row) throw new Error(`fixture has no row with ${text}`);
  return row;
}

/** A conversation pane: header HTML, then the thread's rows. */
function thread(
  header: string,
  rows: string,
  url: URL = THREAD_URL,
  label = 'Messages in conversation with Gary Thornbury',
): Document {
  return documentAt(`<div role="main">${header}<div role="grid" aria-label="${label}">${rows}</div></div>`, url);
}

function only(doc: Document, url: URL = THREAD_URL) {
  const [row, ...rest] = facebookAdapter.listPosts(doc);
  expect(rest).toEqual([]);
  if (!row) throw new Error('no message listed');
  return facebookAdapter.extractPost(row, url);
}

describe('facebook messenger on the fixture page', () => {
  itExtractsEachPage('facebook', PAGES);

  it('reads the same on www.messenger.com, with the conversation URL written on www.facebook.com', () => {
    expect(adapterForPage(load(MESSENGER_URL), MESSENGER_URL)).toBe(facebookAdapter);
    expect(extractPage(load(MESSENGER_URL), MESSENGER_URL)).toEqual(expected('messages'));
  });

  it('lists message rows only: not the chat list, the intro card or the time separators', () => {
    const doc = load();
    expect(facebookAdapter.listPosts(doc)).toHaveLength(5);
    expect(facebookAdapter.postContaining(requireElement(doc, '.sep span'))).toBeNull();
    expect(facebookAdapter.postContaining(requireElement(doc, '.intro .name'))).toBeNull();
    expect(facebookAdapter.postContaining(requireElement(doc, '.chats .chat span'))).toBeNull();
  });

  it('postContaining gives the message row a click was in', () => {
    const doc = load();
    const row = rowWithText(doc, 'Be a shame');
    expect(facebookAdapter.postContaining(requireElement(row, 'div[dir="auto"]'))).toBe(row);
    const photoRow = rowWithText(doc, 'office door');
    expect(facebookAdapter.postContaining(requireElement(photoRow, 'img'))).toBe(photoRow);
  });
});

describe('URLs', () => {
  it.each([
    [
      'https://www.facebook.com/messages/t/100087654321098/',
      'conversation',
      'https://www.facebook.com/messages/t/100087654321098',
    ],
    [
      'https://www.facebook.com/messages/e2ee/t/7712345678901234/',
      'conversation',
      'https://www.facebook.com/messages/e2ee/t/7712345678901234',
    ],
    [
      'https://www.messenger.com/t/100087654321098',
      'conversation',
      'https://www.facebook.com/messages/t/100087654321098',
    ],
    [
      'https://www.messenger.com/e2ee/t/7712345678901234/',
      'conversation',
      'https://www.facebook.com/messages/e2ee/t/7712345678901234',
    ],
    ['https://www.messenger.com/', 'unknown', null],
    ['https://www.messenger.com/gary.thornbury.77', 'unknown', null],
    ['https://www.facebook.com/messages/t/', 'unknown', null],
  ])('%s is a %s page; its conversation URL is %s', (href, kind, conversationUrl) => {
    const url = new URL(href);
    const doc = thread('', '<div role="row"><h4>Gary Thornbury</h4><div dir="auto">hi</div></div>', url);
    expect(facebookAdapter.pageKind(doc, url)).toBe(kind);
    expect(only(doc, url).conversation?.url).toBe(conversationUrl);
    expect(facebookAdapter.extractProfile(doc, url)).toBeNull();
  });

  it('a conversation has no main post', () => {
    expect(facebookAdapter.mainPost(load(), THREAD_URL)).toBeNull();
  });
});

describe('messages', () => {
  it('the other party’s messages link their profile from the conversation header', () => {
    const post = facebookAdapter.extractPost(rowWithText(load(), 'Be a shame'), THREAD_URL);
    expect(post).toMatchObject({ author: GARY, permalink: null, postId: null, isReply: false });
    expect(post.conversation).toEqual({
      title: 'Gary Thornbury',
      url: 'https://www.facebook.com/messages/t/100087654321098',
      participants: ['gary.thornbury.77'],
    });
  });

  it('"You sent" is this account: "You", no handle', () => {
    const post = facebookAdapter.extractPost(rowWithText(load(), 'Please stop contacting me'), THREAD_URL);
    expect(post.author).toEqual({ displayName: 'You', handle: null, profileUrl: null });
  });

  it('a hover time is read under the separator above; without one the separator is the time shown', () => {
    const times = facebookAdapter
      .listPosts(load())
      .map((row) => facebookAdapter.extractPost(row, THREAD_URL).shownTime);
    expect(times).toEqual([
      { raw: '18 November 2026, 21:40', iso: null },
      { raw: '18 November 2026 at 21:42', iso: null },
      { raw: '18 November 2026 at 21:50', iso: null },
      { raw: 'Today at 14:02', iso: null },
      { raw: 'Today at 14:03', iso: null },
    ]);
    const capturedAt = new Date('2026-11-20T14:10:00Z');
    expect(resolveShownTime('18 November 2026 at 21:42', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2026-11-18T21:42:00.000Z',
    );
  });

  it('the photo is listed and the avatars are not; an unsent message has no text', () => {
    const doc = load();
    expect(facebookAdapter.extractPost(rowWithText(doc, 'office door'), THREAD_URL).mediaUrls).toEqual([
      'https://scontent.xx.fbcdn.net/v/t1.15752-9/holbeck_office_door_n.jpg',
    ]);
    expect(facebookAdapter.extractPost(rowWithText(doc, 'Gary Thornbury unsent a message'), THREAD_URL)).toMatchObject({
      text: null,
      mediaUrls: [],
      author: GARY,
    });
  });

  it("an avatar drawn as an img, labelled with the sender's name, is not media", () => {
    const doc = thread(
      '',
      `<div role="row"><h4>Gary Thornbury</h4><img alt="Gary Thornbury" src="https://scontent.xx.fbcdn.net/v/t39.30808-1/gary_avatar_n.jpg">` +
        `<img alt="Open photo" src="https://scontent.xx.fbcdn.net/v/t1.15752-9/car_n.jpg"><div dir="auto">nice car</div></div>`,
    );
    expect(only(doc).mediaUrls).toEqual(['https://scontent.xx.fbcdn.net/v/t1.15752-9/car_n.jpg']);
  });

  it('without a sender heading the "At …" label gives the sender and time; without any time, none is made up', () => {
    const labelled = thread(
      '',
      `<div role="row"><div aria-label="At Wednesday 7:15pm, Gary Thornbury: go home"><div dir="auto">go home</div></div></div>`,
    );
    expect(only(labelled)).toMatchObject({
      author: { displayName: 'Gary Thornbury', handle: null, profileUrl: null },
      shownTime: { raw: 'Wednesday 7:15pm', iso: null },
      text: 'go home',
    });
    const bare = thread('', `<div role="row"><div dir="auto">go home</div></div>`);
    expect(only(bare)).toMatchObject({
      author: { displayName: null, handle: null, profileUrl: null },
      shownTime: { raw: null, iso: null },
      conversation: { title: 'Gary Thornbury', participants: [] },
    });
  });

  it('in a group the header links no one; a sender is linked only by a link in their row', () => {
    const doc = thread(
      '<h2><span>Holbeck Hustings</span></h2>',
      `<div role="row"><h4>Dean Pollard</h4><a href="https://www.facebook.com/dean.pollard.ls11"><svg role="img"></svg></a><div dir="auto">see you at 7 <a href="https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org">link</a></div></div>` +
        `<div role="row"><h4>Gary Thornbury</h4><div dir="auto">she won't last the night</div></div>`,
      new URL('https://www.facebook.com/messages/t/6123456789012345/'),
      'Messages in conversation titled Holbeck Hustings',
    );
    const [dean, gary] = facebookAdapter.listPosts(doc).map((row) => facebookAdapter.extractPost(row, THREAD_URL));
    expect(dean?.author).toEqual({
      displayName: 'Dean Pollard',
      handle: 'dean.pollard.ls11',
      profileUrl: 'https://www.facebook.com/dean.pollard.ls11',
    });
    expect(dean?.text).toBe('see you at 7 link');
    expect(gary?.author).toEqual({ displayName: 'Gary Thornbury', handle: null, profileUrl: null });
    expect(gary?.conversation).toEqual({
      title: 'Holbeck Hustings',
      url: 'https://www.facebook.com/messages/t/100087654321098',
      participants: [],
    });
  });

  it('a thread that draws its messages as articles lists each message once, as a message', () => {
    const doc = thread(
      '',
      `<div role="row"><div role="article"><h5>Gary Thornbury</h5><div dir="auto">hello</div></div></div>`,
    );
    expect(only(doc)).toMatchObject({ text: 'hello', author: { displayName: 'Gary Thornbury' } });
  });

  it('a chat docked over the news feed is read too, with no conversation URL', () => {
    const feed = new URL('https://www.facebook.com/');
    const doc = thread('', '<div role="row"><h4>Gary Thornbury</h4><div dir="auto">hi</div></div>', feed);
    expect(facebookAdapter.pageKind(doc, feed)).toBe('timeline');
    expect(only(doc, feed).conversation).toEqual({ title: 'Gary Thornbury', url: null, participants: [] });
  });
});

describe('the message table Messenger shares with Instagram direct (2025)', () => {
  const url = new URL('https://www.facebook.com/messages/t/100099887766554/');
  const posts = () => extractPage(fixture.load('messages-2025.html', url), url).posts;

  it('names the sender of every bubble from its own hidden label, not only the first of a run', () => {
    expect(posts().map((post) => post.author.displayName)).toEqual([
      'Gary Thornbury',
      'Gary Thornbury',
      'You',
      'Gary Thornbury',
      'You',
    ]);
  });

  it('reads a "replied to" heading as a reply by its sender, without the quoted original in the text', () => {
    const [, , mine, his] = posts();
    expect(mine).toMatchObject({
      author: { displayName: 'You' },
      isReply: true,
      text: 'This has been passed to the police.',
    });
    expect(his).toMatchObject({ author: GARY, isReply: true, text: 'Go on then' });
  });

  it('does not take a reaction after the text for the sender', () => {
    const row = thread(
      '',
      `<div role="row"><div role="gridcell"><div role="button"><div dir="auto">hello</div></div><span>😡</span></div></div>`,
    );
    expect(only(row).author.displayName).toBeNull();
  });
});
