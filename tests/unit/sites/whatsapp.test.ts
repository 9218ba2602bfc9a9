import { describe, expect, it } from 'vitest';
import { adapterForPage } from '../../../src/sites';
import { resolveShownTime } from '../../../src/sites/relative-time';
import { whatsappAdapter } from '../../../src/sites/whatsapp';
import { blankPost, documentAt, fixtureLoader, itExtractsEachPage, listedPages, requireElement } from './fixture-pages';

const fixture = fixtureLoader('whatsapp');
const PAGES = await listedPages('whatsapp');
const APP_URL = new URL('https://web.whatsapp.com/');

// WhatsApp Web serves every screen at "/", so one address stands for all of them.
const load = (file: string): Document => fixture.load(file, APP_URL);
const page = (html: string): Document => documentAt(html, APP_URL);

function message(doc: Document, id: string): Element {
  return requireElement(doc, `div[data-id$="_${id}"], div[data-id*="_${id}_"]`);
}

/** A chat open in #main with the given message rows; `title` is the header's. */
function chat(title: string, rows: string, subtitle = ''): Document {
  return page(
    `<div id="app"><div id="pane-side"></div><div id="main"><header><span dir="auto">${title}</span>${subtitle}</header>` +
      `<div role="application">${rows}</div></div></div>`,
  );
}

describe('whatsapp adapter on the fixture pages', () => {
  itExtractsEachPage('whatsapp', PAGES);

  it('is picked for web.whatsapp.com only', () => {
    expect(adapterForPage(load('chats.html'), APP_URL)).toBe(whatsappAdapter);
    expect(whatsappAdapter.matchesUrl(new URL('https://www.whatsapp.com/'))).toBe(false);
    expect(whatsappAdapter.hostPatterns).toEqual(['https://web.whatsapp.com/*']);
  });
});

describe('pageKind', () => {
  it('reads the markup, because the URL is always "/"', () => {
    expect(whatsappAdapter.pageKind(load('conversation.html'), APP_URL)).toBe('conversation');
    expect(whatsappAdapter.pageKind(load('chats.html'), APP_URL)).toBe('timeline');
    // The QR-code login screen has neither a chat nor the chat list.
    expect(
      whatsappAdapter.pageKind(
        page('<div class="landing"><canvas aria-label="Scan this QR code to link a device!"></canvas></div>'),
        APP_URL,
      ),
    ).toBe('unknown');
  });

  it('has no single-post page, so no main post', () => {
    expect(whatsappAdapter.mainPost(load('conversation.html'), APP_URL)).toBeNull();
  });
});

describe('messages', () => {
  it('postContaining gives the message bubble, also for a click in the quoted message', () => {
    const doc = load('conversation.html');
    const reply = message(doc, '3EB0C3F9A8B7D6E5F401');
    expect(whatsappAdapter.postContaining(requireElement(reply, '.quoted-mention'))).toBe(reply);
    expect(whatsappAdapter.postContaining(requireElement(reply, 'span.selectable-text'))).toBe(reply);
    // Chat-list previews and day separators are not messages.
    expect(whatsappAdapter.postContaining(requireElement(doc, '#pane-side .preview'))).toBeNull();
    expect(whatsappAdapter.postContaining(requireElement(doc, '.day span'))).toBeNull();
  });

  it('a reply keeps the quoted message out of its text and is marked a reply, with nothing to link', () => {
    const doc = load('conversation.html');
    const post = whatsappAdapter.extractPost(message(doc, '3EB0C3F9A8B7D6E5F401'), APP_URL);
    expect(post).toMatchObject({ isReply: true, replyToUrl: null, quotedPostUrl: null, permalink: null });
    expect(post.text).toBe('Talk? We know where your office is. See you Saturday 😡');
  });

  it('the time comes from data-pre-plain-text without brackets, and resolves as a local en-GB date', () => {
    const post = whatsappAdapter.extractPost(message(load('conversation.html'), '3EB0A1C2D3E4F5061728'), APP_URL);
    expect(post.shownTime).toEqual({ raw: '21:47, 19/11/2026', iso: null });
    const capturedAt = new Date('2026-11-20T14:10:00Z');
    expect(resolveShownTime(post.shownTime.raw ?? '', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2026-11-19T21:47:00.000Z',
    );
  });

  it('without data-pre-plain-text the bubble time is read under the day separator above it', () => {
    const doc = load('conversation.html');
    expect(whatsappAdapter.extractPost(message(doc, '3EB0D4A5B6C7D8E9F012'), APP_URL).shownTime.raw).toBe(
      'Today at 14:06',
    );
    const capturedAt = new Date('2026-11-20T14:10:00Z');
    expect(resolveShownTime('Today at 14:06', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2026-11-20T14:06:00.000Z',
    );
  });

  it('a deleted message keeps its id, sender and time and has no text', () => {
    const post = whatsappAdapter.extractPost(message(load('conversation.html'), '3EB0E5F6A7B8C9D0E123'), APP_URL);
    expect(post).toMatchObject({
      postId: '3EB0E5F6A7B8C9D0E123',
      text: null,
      author: { displayName: 'Gary Thornbury', handle: '+447700900123', profileUrl: null },
      shownTime: { raw: 'Today at 14:07', iso: null },
    });
  });

  it('a photo drawn from a blob: URL gives no media URL; an http(s) one does, but never a profile picture', () => {
    expect(
      whatsappAdapter.extractPost(message(load('conversation.html'), '3EB0D4A5B6C7D8E9F012'), APP_URL).mediaUrls,
    ).toEqual([]);
    const doc = chat(
      'Gary Thornbury',
      `<div role="row"><div data-id="false_447700900123@c.us_3EB0AA"><div class="message-in">` +
        `<img src="https://pps.whatsapp.net/v/t61.24694-24/gary_n.jpg"><img src="https://media-lhr8-1.cdn.whatsapp.net/v/t62.7118-24/photo_n.jpg">` +
        `<img class="emoji" alt="😡" src="https://static.whatsapp.net/emoji/1f621.png"></div></div></div>`,
    );
    expect(whatsappAdapter.extractPost(requireElement(doc, '[data-id]'), APP_URL).mediaUrls).toEqual([
      'https://media-lhr8-1.cdn.whatsapp.net/v/t62.7118-24/photo_n.jpg',
    ]);
  });

  it('this account\'s messages are the user\'s own: the name shown, or "You", and no handle', () => {
    const own = whatsappAdapter.extractPost(message(load('conversation.html'), '3EB0B7E21C9D44F0A3A1'), APP_URL);
    expect(own.author).toEqual({ displayName: 'Priya Natarajan', handle: null, profileUrl: null });
    const doc = chat(
      'Gary Thornbury',
      `<div role="row"><div data-id="true_447700900123@c.us_3EB0BB"><div class="message-out"><span>14:09</span></div></div></div>`,
    );
    expect(whatsappAdapter.extractPost(requireElement(doc, '[data-id]'), APP_URL)).toMatchObject({
      author: { displayName: 'You', handle: null, profileUrl: null },
      shownTime: { raw: '14:09', iso: null },
    });
  });

  it('in a group the sender comes from the message: a number not in the contacts is its own handle; a hidden number (lid) gives none', () => {
    const doc = load('group.html');
    const authors = [
      '3A9F0C1B2D3E4F506172',
      '3A9F0C1B2D3E4F506173',
      '3A9F0C1B2D3E4F506174',
      '3A9F0C1B2D3E4F506175',
    ].map((id) => whatsappAdapter.extractPost(message(doc, id), APP_URL).author);
    expect(authors).toEqual([
      { displayName: 'Gary Thornbury', handle: '+447700900123', profileUrl: null },
      { displayName: '+44 7700 900456', handle: '+44 7700 900456', profileUrl: null },
      { displayName: 'Dean Pollard', handle: null, profileUrl: null },
      // A sticker: no name shown, but its data-id still names the sender's number.
      { displayName: null, handle: '+447700900123', profileUrl: null },
    ]);
  });

  it('a group message without data-pre-plain-text takes the sender name shown above it', () => {
    const doc = chat(
      'Holbeck Residents Chat',
      `<div role="row"><span>Today</span></div><div role="row"><div data-id="false_120363041234567890@g.us_3A9F11_447700900123@c.us"><div class="message-in">` +
        `<span dir="auto" aria-label="Gary Thornbury">Gary Thornbury</span><span data-icon="recalled"></span><span>This message was deleted</span><span dir="auto">09:15</span></div></div></div>`,
    );
    expect(whatsappAdapter.extractPost(requireElement(doc, '[data-id]'), APP_URL)).toMatchObject({
      author: { displayName: 'Gary Thornbury', handle: '+447700900123' },
      shownTime: { raw: 'Today at 09:15' },
      text: null,
    });
  });

  it('a message with an unreadable data-id, no time and no text is recorded with those fields missing', () => {
    const doc = chat(
      'Gary Thornbury',
      `<div role="row"><div data-id="false_garbled"><div class="message-in"></div></div></div>`,
    );
    expect(whatsappAdapter.extractPost(requireElement(doc, '[data-id]'), APP_URL)).toEqual({
      ...blankPost('whatsapp'),
      conversation: { title: 'Gary Thornbury', url: null, participants: ['Gary Thornbury'] },
    });
  });
});

describe('conversation', () => {
  it('a group lists its members from the header subtitle, without "You"', () => {
    const post = whatsappAdapter.extractPost(message(load('group.html'), '3A9F0C1B2D3E4F506172'), APP_URL);
    expect(post.conversation).toEqual({
      title: 'Holbeck Residents Chat',
      url: null,
      participants: ['Dean Pollard', 'Gary Thornbury', '+44 7700 900456', 'Sandra Okafor'],
    });
  });

  it('a group whose subtitle shows "typing…" instead of members has none listed', () => {
    const doc = chat(
      'Holbeck Residents Chat',
      `<div role="row"><div data-id="false_120363041234567890@g.us_3A9F12_447700900123@c.us"></div></div>`,
      '<span title="Gary is typing…">Gary is typing…</span>',
    );
    expect(whatsappAdapter.extractPost(requireElement(doc, '[data-id]'), APP_URL).conversation?.participants).toEqual(
      [],
    );
  });
});

describe('extractProfile', () => {
  it('is null unless the contact info drawer is open', () => {
    expect(whatsappAdapter.extractProfile(load('group.html'), APP_URL)).toBeNull();
    expect(whatsappAdapter.extractProfile(load('chats.html'), APP_URL)).toBeNull();
  });

  it('finds the drawer by its "Contact info" heading too, and gives no account id when the number is not the open chat\'s', () => {
    const doc = page(
      `<div id="main"><header><span dir="auto">Gary Thornbury</span></header><div role="application"><div role="row"><div data-id="false_447700900123@c.us_3EB0CC"></div></div></div></div>` +
        `<div><header><h1>Contact info</h1></header><section><h2><span dir="auto">Kev</span></h2><span dir="auto">+44 7700 900456</span></section></div>`,
    );
    expect(whatsappAdapter.extractProfile(doc, APP_URL)).toMatchObject({
      displayName: 'Kev',
      handle: '+44 7700 900456',
      bio: null,
      accountId: null,
      profileUrl: null,
      state: 'public',
    });
  });

  it('a group info drawer is not a profile', () => {
    const doc = page(
      `<div><header><h1>Group info</h1></header><section><h2>Holbeck Residents Chat</h2></section></div>`,
    );
    expect(whatsappAdapter.extractProfile(doc, APP_URL)).toBeNull();
  });
});

describe('readPost', () => {
  it('records which way each key field was read, and that a message has no permalink', () => {
    const doc = load('conversation.html');
    const [first] = whatsappAdapter.listPosts(doc);
    const { post, via } = whatsappAdapter.readPost(first!, APP_URL);
    expect(post).toEqual(whatsappAdapter.extractPost(first!, APP_URL));
    expect(via.permalink).toBe('not found');
    expect(via.text).toBe(post.text === null ? 'not found' : 'selectable-text span');
    expect(['data-pre-plain-text', 'bubble time under the day separator']).toContain(via.shownTime);
  });
});

describe('the markup generations seen on real pages', () => {
  const GROUP = '120363041234567890@g.us';

  it('reads the December 2025 message: lid jid with the side appended, text by test id, sender by its label', () => {
    const doc = load('chat-2025-12.html');
    const posts = whatsappAdapter.listPosts(doc).map((m) => whatsappAdapter.readPost(m, APP_URL));
    expect(posts.map(({ post }) => post.postId)).toEqual([
      '3EB0A1B2C3D4E5F60718',
      '3EB0A1B2C3D4E5F60719',
      '3EB0A1B2C3D4E5F60720',
    ]);
    expect(posts[1]!.via).toMatchObject({ author: 'sender aria-label', text: 'not found' });
    expect(posts[1]!.post.shownTime.raw).toBe('9:03 AM');
  });

  it('in a 2023 group: the name from the avatar button without the phone, no avatar as media, no voice length as time', () => {
    const doc = chat(
      'Holbeck volunteers',
      `<div role="row"><span>TODAY</span></div>` +
        `<div role="row"><div data-id="false_${GROUP}_3A1_447700900456@c.us">` +
        `<div aria-label="Open chat details for Lee Marsh +44 7700 900456" role="button"><img src="https://web.whatsapp.com/avatars/lee.jpg" alt=""></div>` +
        `<span aria-label="" dir="auto">Lee Marsh</span>` +
        `<button aria-label="Play voice message"></button><span>0:42</span><img src="https://web.whatsapp.com/avatars/lee.jpg" alt="">` +
        `<span dir="auto">9:48 am</span></div></div>` +
        `<div role="row"><div data-id="false_${GROUP}_3A2_447700900456@c.us"><span aria-label="" dir="auto">Lee Marsh</span>` +
        `<div role="button" title="Download leaflet.pdf"><span dir="auto">leaflet.pdf</span></div><span dir="auto">9:50 am</span></div></div>` +
        `<div role="row"><div data-id="false_${GROUP}_3A3_447700900456@c.us"><img src="blob:https://web.whatsapp.com/1" alt=""><span dir="auto">9:51 am</span></div></div>`,
    );
    const [voice, document, sticker] = whatsappAdapter.listPosts(doc).map((m) => whatsappAdapter.readPost(m, APP_URL));
    expect(voice!.post.author).toEqual({ displayName: 'Lee Marsh', handle: '+447700900456', profileUrl: null });
    expect(voice!.post.mediaUrls).toEqual([]);
    expect(voice!.post.shownTime.raw).toBe('TODAY at 9:48 am');
    // The next bubble shows the same name, unlabelled: it is the name the sender's jid has on the first.
    expect(document!.post.author.displayName).toBe('Lee Marsh');
    expect(document!.via.author).toBe('name of the sender jid, shown on the bubble');
    // A bubble that shows no name gets none, even though the jid is known.
    expect(sticker!.post.author.displayName).toBeNull();
  });
});
