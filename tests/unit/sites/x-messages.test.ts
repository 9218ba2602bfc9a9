import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { resolveShownTime } from '../../../src/sites/relative-time';
import { xAdapter } from '../../../src/sites/x';
import { conversationIdOfUrl } from '../../../src/sites/x-messages';
import { documentAt, fixtureLoader, itExtractsEachPage, listedPages, requireElement } from './fixture-pages';

const { load } = fixtureLoader('x');
// X's other pages are checked in x.test.ts.
const PAGES = await listedPages('x', { only: ['messages.html'] });
const DM_URL = new URL('https://x.com/messages/512398764-1598765432101234567');
const GROUP_URL = new URL('https://x.com/messages/1991500000000000001');

function entries(doc: Document): Element[] {
  return Array.from(doc.querySelectorAll('[data-testid="messageEntry"]'));
}

function entry(doc: Document, index: number): Element {
  const found = entries(doc)[index];
  if (!found) throw new Error(`fixture has no message ${index}`);
  return found;
}

/** A conversation pane with the given header and thread cells. */
function thread(header: string, cells: string, url: URL = DM_URL): Document {
  return documentAt(
    `<div data-testid="DmActivityContainer"><div data-testid="DM-conversation-header">${header}</div>` +
      `<div data-testid="DmScrollerContainer">${cells}</div></div>`,
    url,
  );
}

describe('x direct messages on the fixture page', () => {
  itExtractsEachPage('x', PAGES);

  it('lists the thread’s messages only, not the inbox list, the profile card or day separators', () => {
    const doc = load('messages.html', DM_URL);
    expect(xAdapter.listPosts(doc)).toEqual(entries(doc));
    expect(xAdapter.postContaining(requireElement(doc, '[data-testid="conversation"] span'))).toBeNull();
    expect(xAdapter.postContaining(requireElement(doc, '[role="separator"] span'))).toBeNull();
    expect(xAdapter.postContaining(requireElement(doc, '.card .name'))).toBeNull();
  });

  it('postContaining gives the message a click was in', () => {
    const doc = load('messages.html', DM_URL);
    const threat = entry(doc, 2);
    expect(xAdapter.postContaining(requireElement(threat, '[data-testid="tweetText"] span'))).toBe(threat);
    expect(xAdapter.postContaining(requireElement(threat, '.stamp span'))).toBe(threat);
  });
});

describe('URLs', () => {
  it.each([
    ['https://x.com/messages/512398764-1598765432101234567', 'conversation', '512398764-1598765432101234567'],
    ['https://x.com/messages/1991500000000000001', 'conversation', '1991500000000000001'],
    ['https://twitter.com/messages/512398764-1598765432101234567', 'conversation', '512398764-1598765432101234567'],
    ['https://x.com/messages/512398764-1598765432101234567/info', 'unknown', null],
    ['https://x.com/messages', 'unknown', null],
    ['https://x.com/messages/requests', 'unknown', null],
  ])('%s is a %s page', (href, kind, id) => {
    const url = new URL(href);
    expect(xAdapter.pageKind(new JSDOM('').window.document, url)).toBe(kind);
    expect(conversationIdOfUrl(url)).toBe(id);
  });

  it('a conversation has no main post and no profile', () => {
    const doc = load('messages.html', DM_URL);
    expect(xAdapter.mainPost(doc, DM_URL)).toBeNull();
    expect(xAdapter.extractProfile(doc, DM_URL)).toBeNull();
  });
});

describe('messages', () => {
  it('an incoming message carries its sender, named as the header names them, and the conversation', () => {
    const post = xAdapter.extractPost(entry(load('messages.html', DM_URL), 2), DM_URL);
    expect(post).toMatchObject({
      platform: 'x',
      permalink: null,
      postId: null,
      author: { displayName: 'Gary Thornbury', handle: 'GazT_1977', profileUrl: 'https://x.com/GazT_1977' },
      text: 'We know where your office is. Watch yourself on Saturday 😡',
      conversation: {
        title: 'Gary Thornbury',
        url: 'https://x.com/messages/512398764-1598765432101234567',
        participants: ['GazT_1977'],
      },
    });
  });

  it('a message without an avatar beside it (one of a run, or one of ours) has no sender, rather than a guessed one', () => {
    const doc = load('messages.html', DM_URL);
    for (const index of [1, 3]) {
      expect(xAdapter.extractPost(entry(doc, index), DM_URL).author).toEqual({
        displayName: null,
        handle: null,
        profileUrl: null,
      });
    }
  });

  it('the printed time is read under the day separator above it, and resolves from the capture time', () => {
    const doc = load('messages.html', DM_URL);
    expect(entries(doc).map((el) => xAdapter.extractPost(el, DM_URL).shownTime.raw)).toEqual([
      'Nov 18, 2026 at 9:41 PM',
      'Yesterday',
      'Yesterday at 9:48 PM',
      'Yesterday at 9:52 PM',
      'Today',
      'Today at 8:05 AM',
    ]);
    const capturedAt = new Date('2026-11-20T09:00:00Z');
    expect(resolveShownTime('Yesterday at 9:48 PM', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2026-11-19T21:48:00.000Z',
    );
    expect(resolveShownTime('Nov 18, 2026 at 9:41 PM', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2026-11-18T21:41:00.000Z',
    );
  });

  it('a time element gives the ISO time directly; with no time or separator at all the time is missing', () => {
    const doc = thread(
      '<h2><span>Gary Thornbury</span></h2><span>@GazT_1977</span>',
      `<div data-testid="cellInnerDiv"><div data-testid="messageEntry"><div data-testid="tweetText">one</div><time datetime="2026-11-19T21:48:12.000Z">9:48 PM</time></div></div>` +
        `<div data-testid="cellInnerDiv"><div data-testid="messageEntry"><div data-testid="tweetText">two</div></div></div>`,
    );
    const [first, second] = xAdapter.listPosts(doc).map((el) => xAdapter.extractPost(el, DM_URL));
    expect(first?.shownTime).toEqual({ raw: '9:48 PM', iso: '2026-11-19T21:48:12.000Z' });
    expect(second?.shownTime).toEqual({ raw: null, iso: null });
  });

  it('a photo is listed, the sender’s avatar is not; a deleted message has no text', () => {
    const doc = load('messages.html', DM_URL);
    expect(xAdapter.extractPost(entry(doc, 4), DM_URL).mediaUrls).toEqual([
      'https://ton.twitter.com/1.1/ton/data/dm/1991400000000000001/1991399999999999999/Fq3kM2xW.jpg',
    ]);
    expect(xAdapter.extractPost(entry(doc, 5), DM_URL)).toMatchObject({
      text: null,
      mediaUrls: [],
      author: { handle: 'GazT_1977' },
    });
  });

  it('in a group, a sender is named by handle only and the participants are the senders shown', () => {
    const avatar = (handle: string) =>
      `<a data-testid="DM_Conversation_Avatar" href="/${handle}"><img src="https://pbs.twimg.com/profile_images/1/${handle}.png"></a>`;
    const doc = thread(
      '<h2><span>Holbeck Hustings</span></h2><span>3 people</span>',
      `<div data-testid="cellInnerDiv"><div data-testid="messageEntry">${avatar('GazT_1977')}<div data-testid="tweetText">see you there</div></div></div>` +
        `<div data-testid="cellInnerDiv"><div data-testid="messageEntry">${avatar('DeanP_LS11')}<div data-testid="tweetText">7pm</div></div></div>`,
      GROUP_URL,
    );
    const post = xAdapter.extractPost(xAdapter.listPosts(doc)[0] as Element, GROUP_URL);
    expect(post.author).toEqual({ displayName: null, handle: 'GazT_1977', profileUrl: 'https://x.com/GazT_1977' });
    expect(post.conversation).toEqual({
      title: 'Holbeck Hustings',
      url: 'https://x.com/messages/1991500000000000001',
      participants: ['GazT_1977', 'DeanP_LS11'],
    });
  });

  it('a message in the DM drawer over another page has its conversation without a URL', () => {
    const home = new URL('https://x.com/home');
    const doc = thread(
      '<h2><span>Gary Thornbury</span></h2><span>@GazT_1977</span>',
      '<div data-testid="messageEntry"><div data-testid="tweetText">hi</div></div>',
      home,
    );
    expect(xAdapter.extractPost(xAdapter.listPosts(doc)[0] as Element, home).conversation).toEqual({
      title: 'Gary Thornbury',
      url: null,
      participants: [],
    });
  });
});
