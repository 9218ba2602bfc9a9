import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { isoFromLinkedInId, linkedinAdapter } from '../../../src/sites/linkedin';
import { resolveShownTime } from '../../../src/sites/relative-time';
import type { PostInfo } from '../../../src/sites/types';
import {
  blankPost,
  documentAt,
  fixtureLoader,
  itExtractsEachPage,
  itIsPickedByUrl,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  postWithId,
  requireElement,
} from './fixture-pages';

const { load } = fixtureLoader('linkedin');
const PAGES = await listedPages('linkedin');
const POST_ID = '7397562433954124885';
const POST_URL = new URL(`https://www.linkedin.com/feed/update/urn:li:activity:${POST_ID}/`);
const FEED_URL = new URL('https://www.linkedin.com/feed/');
const PROFILE_URL = new URL('https://www.linkedin.com/in/gary-thornbury-4b2a11/');
const THREAD = '2-ZDQ3OWI1NjQtYjFhMC00Y2U1LTgzM2EtOWU1ZjU5MmY4ZTAxXzAxMg==';
const MESSAGING_URL = new URL(`https://www.linkedin.com/messaging/thread/${THREAD}/`);
const COMMENT = '7397594842330977345';
const REPLY = '7397615052813049373';

const itemById = (doc: Document, id: string, url: URL): Element => postWithId(linkedinAdapter, doc, url, id);

function extractAll(doc: Document, url: URL): PostInfo[] {
  return linkedinAdapter.listPosts(doc).map((item) => linkedinAdapter.extractPost(item, url));
}

describe('linkedin adapter on the fixture pages', () => {
  itExtractsEachPage('linkedin', PAGES);
});

describe('times from ids', () => {
  it('decodes the creation time from the top 41 bits of an activity or comment id', () => {
    expect(isoFromLinkedInId(POST_ID)).toBe('2025-11-21T09:12:04.318Z');
    expect(isoFromLinkedInId(COMMENT)).toBe('2025-11-21T11:20:51.077Z');
  });

  it.each([['6054321987'], ['0000000000000000001'], ['73975624339541248851'], ['7397562433954124885x'], ['']])(
    'reads no time from %j',
    (id) => {
      expect(isoFromLinkedInId(id)).toBeNull();
    },
  );

  it('keeps the relative time as shown and says how the ISO time was made', () => {
    const post = linkedinAdapter.extractPost(requireElement(load('post.html', POST_URL), '[data-urn]'), POST_URL);
    expect(post.shownTime.raw).toBe('4h');
    expect(post.shownTime.iso).toBe('2025-11-21T09:12:04.318Z');
    expect(post.shownTime.rule).toMatch(
      /^decoded from the LinkedIn activity id 7397562433954124885: its top 41 bits \(id >> 22\)/,
    );
  });

  it('a ugcPost id is not decoded: the shown time only', () => {
    const doc = load('post.html', POST_URL);
    const update = requireElement(doc, '[data-urn]');
    update.setAttribute('data-urn', 'urn:li:ugcPost:7397562433000000000');
    expect(linkedinAdapter.extractPost(update, POST_URL)).toMatchObject({
      permalink: 'https://www.linkedin.com/feed/update/urn:li:ugcPost:7397562433000000000/',
      postId: '7397562433000000000',
      shownTime: { raw: '4h', iso: null },
    });
  });

  it('keeps "Edited" in the raw time', () => {
    const [post] = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(post?.shownTime.raw).toBe('1d • Edited');
  });
});

describe('posts', () => {
  it('reads names, times and hashtags without their screen-reader copies or the "…more" button', () => {
    const [post] = extractPage(load('post.html', POST_URL), POST_URL).posts;
    expect(post?.author.displayName).toBe('Priya Natarajan');
    expect(post?.text).toMatch(/☕\n\n#Holbeck$/);
    expect(post?.text).not.toMatch(/more|hashtag/);
  });

  it('lists photos and video posters, not avatars, company logos or reaction icons', () => {
    const doc = load('post.html', POST_URL);
    const update = requireElement(doc, '[data-urn]');
    requireElement(update, '.update-content-wrapper').insertAdjacentHTML(
      'beforeend',
      '<div class="update-components-linkedin-video"><video src="blob:https://www.linkedin.com/0d1e" poster="https://media.licdn.com/dms/image/v2/D4E05AQ/videocover-high/0/1763716324318?e=1&amp;v=beta&amp;t=v"></video></div>',
    );
    expect(linkedinAdapter.extractPost(update, POST_URL).mediaUrls).toEqual([
      'https://media.licdn.com/dms/image/v2/D4E22AQG9hK2bYv1XqA/feedshare-shrink_800/feedshare-shrink_800/0/1763716324318?e=1766361600&v=beta&t=Hb7qLibr4ry',
      'https://media.licdn.com/dms/image/v2/D4E05AQ/videocover-high/0/1763716324318?e=1&v=beta&t=v',
    ]);
  });

  it('a plain repost is the original author’s post, not the reposter’s', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[2];
    expect(post).toMatchObject({
      postId: '7396966752577843664',
      author: {
        displayName: 'Holbeck Truth',
        handle: 'holbeck-truth',
        profileUrl: 'https://www.linkedin.com/company/holbeck-truth/',
      },
      quotedPostUrl: null,
    });
  });

  it('a repost with thoughts links the reposted post, and a click inside it captures that post alone', () => {
    const doc = load('feed.html', FEED_URL);
    const outer = itemById(doc, '7397605349343124223', FEED_URL);
    expect(linkedinAdapter.extractPost(outer, FEED_URL)).toMatchObject({
      author: { handle: 'lee-marsh-ls11' },
      text: 'Someone should pay her a visit on Saturday.',
      quotedPostUrl: POST_URL.href,
    });
    const inner = linkedinAdapter.postContaining(
      requireElement(outer, '.update-components-mini-update-v2 .update-components-text span'),
    );
    expect(inner).toBe(requireElement(outer, '.update-components-mini-update-v2'));
    expect(linkedinAdapter.extractPost(inner as Element, FEED_URL)).toMatchObject({
      permalink: POST_URL.href,
      postId: POST_ID,
      author: { displayName: 'Priya Natarajan', handle: 'priya-natarajan-holbeck' },
      shownTime: { raw: '4h', iso: '2025-11-21T09:12:04.318Z' },
    });
    expect(linkedinAdapter.postContaining(requireElement(outer, '.update-components-actor__title'))).toBe(outer);
  });

  it('a reposted post that was deleted is recorded as missing, and its repost has no quoted URL', () => {
    const doc = load('feed.html', FEED_URL);
    const outer = itemById(doc, '7397598707006101702', FEED_URL);
    expect(linkedinAdapter.extractPost(outer, FEED_URL).quotedPostUrl).toBeNull();
    const placeholder = linkedinAdapter.postContaining(
      requireElement(outer, '.feed-shared-update-v2__content-unavailable strong'),
    );
    expect(linkedinAdapter.extractPost(placeholder as Element, FEED_URL)).toEqual(blankPost('linkedin'));
  });

  it('a "Promoted" ad names no post and shows no time, but its advertiser and text are read', () => {
    const ad = extractAll(load('feed.html', FEED_URL), FEED_URL).find(
      (post) => post.author.handle === 'thornbury-roofing',
    );
    expect(ad).toMatchObject({
      permalink: null,
      postId: null,
      author: {
        displayName: 'Thornbury Roofing Ltd',
        profileUrl: 'https://www.linkedin.com/company/thornbury-roofing/',
      },
      text: "Storm damage? Leeds' most trusted roofers since 1998. Free quotes this week.",
      shownTime: { raw: null, iso: null },
    });
  });

  it('a post without a profile link or a shown time keeps the name and the id’s time', () => {
    const post = linkedinAdapter.extractPost(
      itemById(load('feed.html', FEED_URL), '7397548032324497409', FEED_URL),
      FEED_URL,
    );
    expect(post.author).toEqual({ displayName: 'LinkedIn Member', handle: null, profileUrl: null });
    expect(post.shownTime).toMatchObject({ raw: null, iso: '2025-11-21T08:14:50.702Z' });
  });

  it('an update with nothing in it gives nulls, not a crash', () => {
    const doc = documentAt(
      '<div class="feed-shared-update-v2" data-urn="urn:li:aggregate:(x)"><p>This post is unavailable</p></div>',
      FEED_URL,
    );
    expect(linkedinAdapter.extractPost(requireElement(doc, '[data-urn]'), FEED_URL)).toEqual(blankPost('linkedin'));
  });

  it('an author named by member id has no handle', () => {
    const doc = documentAt(
      `<div data-urn="urn:li:activity:${POST_ID}"><div class="update-components-actor">
       <a href="/in/ACoAADqTZ1cBx7kQf3mW2pLr9sVtYh4nE0uJ8cI"><span class="update-components-actor__name">Gary Thornbury</span></a></div></div>`,
      FEED_URL,
    );
    expect(linkedinAdapter.extractPost(requireElement(doc, '[data-urn]'), FEED_URL).author).toEqual({
      displayName: 'Gary Thornbury',
      handle: null,
      profileUrl: 'https://www.linkedin.com/in/ACoAADqTZ1cBx7kQf3mW2pLr9sVtYh4nE0uJ8cI/',
    });
  });
});

describe('comments', () => {
  it('postContaining gives the reply the click was in, not the comment it answers or the post', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemById(doc, REPLY, POST_URL);
    expect(linkedinAdapter.postContaining(requireElement(reply, '.update-components-text span'))).toBe(reply);
    const comment = itemById(doc, COMMENT, POST_URL);
    expect(linkedinAdapter.postContaining(requireElement(comment, 'time'))).toBe(comment);
    const update = requireElement(doc, '[data-urn]');
    expect(linkedinAdapter.postContaining(requireElement(update, '.update-components-image__image'))).toBe(update);
    expect(linkedinAdapter.postContaining(requireElement(doc, '.global-nav__logo'))).toBeNull();
  });

  it('a reply links through the comment it answers; a comment answers the post', () => {
    const doc = load('post.html', POST_URL);
    const commentUrl = `${POST_URL.href}?commentUrn=urn%3Ali%3Acomment%3A%28activity%3A${POST_ID}%2C${COMMENT}%29`;
    expect(linkedinAdapter.extractPost(itemById(doc, REPLY, POST_URL), POST_URL)).toMatchObject({
      permalink: `${commentUrl}&replyUrn=urn%3Ali%3Acomment%3A%28activity%3A${POST_ID}%2C${REPLY}%29`,
      isReply: true,
      replyToUrl: commentUrl,
      shownTime: { raw: '49m', iso: '2025-11-21T12:41:09.632Z' },
    });
    expect(linkedinAdapter.extractPost(itemById(doc, COMMENT, POST_URL), POST_URL)).toMatchObject({
      permalink: commentUrl,
      replyToUrl: POST_URL.href,
    });
  });

  it('the author is the comment’s header, not a profile mentioned in its text', () => {
    const reply = linkedinAdapter.extractPost(itemById(load('post.html', POST_URL), REPLY, POST_URL), POST_URL);
    expect(reply.author).toEqual({
      displayName: 'Lee Marsh',
      handle: 'lee-marsh-ls11',
      profileUrl: 'https://www.linkedin.com/in/lee-marsh-ls11/',
    });
    expect(reply.text).toBe('Gary Thornbury Saturday it is then 😉');
  });

  it('a comment without its time element still has the id’s time; without its data-id, the post it is under', () => {
    const doc = load('post.html', POST_URL);
    const comment = itemById(doc, COMMENT, POST_URL);
    requireElement(comment, '.comments-comment-meta__info time').remove();
    expect(linkedinAdapter.extractPost(comment, POST_URL).shownTime).toMatchObject({
      raw: null,
      iso: '2025-11-21T11:20:51.077Z',
    });
    comment.removeAttribute('data-id');
    expect(linkedinAdapter.extractPost(comment, POST_URL)).toMatchObject({
      permalink: null,
      postId: null,
      shownTime: { raw: null, iso: null },
      replyToUrl: POST_URL.href,
    });
  });

  it('a reply under a comment without a data-id has no permalink and no reply-to URL rather than a wrong one', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemById(doc, REPLY, POST_URL);
    itemById(doc, COMMENT, POST_URL).removeAttribute('data-id');
    expect(linkedinAdapter.extractPost(reply, POST_URL)).toMatchObject({
      permalink: null,
      postId: REPLY,
      isReply: true,
      replyToUrl: null,
    });
  });

  it('comments on a ugcPost are linked under it', () => {
    const url = new URL('https://www.linkedin.com/feed/update/urn:li:ugcPost:7397562433000000000/');
    const doc = documentAt(
      `<article class="comments-comment-entity" data-id="urn:li:comment:(ugcPost:7397562433000000000,${COMMENT})"><time>2h</time></article>`,
      url,
    );
    expect(linkedinAdapter.extractPost(requireElement(doc, 'article'), url)).toMatchObject({
      permalink: `${url.href}?commentUrn=urn%3Ali%3Acomment%3A%28ugcPost%3A7397562433000000000%2C${COMMENT}%29`,
      replyToUrl: url.href,
      shownTime: { raw: '2h', iso: '2025-11-21T11:20:51.077Z' },
    });
  });
});

describe('mainPost', () => {
  it('is the post the URL names, also from a /posts/ share link', () => {
    const doc = load('post.html', POST_URL);
    const update = requireElement(doc, '[data-urn]');
    expect(linkedinAdapter.mainPost(doc, POST_URL)).toBe(update);
    const share = new URL(
      `https://www.linkedin.com/posts/priya-natarajan-holbeck_holbeck-office-open-activity-${POST_ID}-Xa9Q/`,
    );
    expect(linkedinAdapter.mainPost(doc, share)).toBe(update);
    // A ugcPost URL shows the post under its activity id: the page's post is still it.
    expect(
      linkedinAdapter.mainPost(
        doc,
        new URL('https://www.linkedin.com/feed/update/urn:li:ugcPost:7397562433000000000/'),
      ),
    ).toBe(update);
  });

  it('is the comment or reply a commentUrn / replyUrn link names', () => {
    const doc = load('post.html', POST_URL);
    const commentUrn = `urn:li:comment:(activity:${POST_ID},${COMMENT})`;
    const withComment = new URL(POST_URL.href);
    withComment.searchParams.set('commentUrn', commentUrn);
    expect(linkedinAdapter.mainPost(doc, withComment)).toBe(itemById(doc, COMMENT, POST_URL));
    const withReply = new URL(withComment.href);
    withReply.searchParams.set('replyUrn', `urn:li:comment:(activity:${POST_ID},${REPLY})`);
    expect(linkedinAdapter.mainPost(doc, withReply)).toBe(itemById(doc, REPLY, POST_URL));
    expect(extractPage(doc, withReply).posts[0]?.postId).toBe(REPLY);
  });

  it('is null off post pages', () => {
    expect(linkedinAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });
});

describe('direct messages', () => {
  it('every message carries its conversation: the header’s name, the thread URL and the other person', () => {
    for (const message of extractAll(load('messaging.html', MESSAGING_URL), MESSAGING_URL)) {
      expect(message.conversation).toEqual({
        title: 'Gary Thornbury',
        url: MESSAGING_URL.href,
        participants: ['gary-thornbury-4b2a11'],
      });
      expect(message.permalink).toBeNull();
    }
  });

  it('a message without its own sender line takes the sender and time of its group, under the day heading above', () => {
    const [, second] = extractAll(load('messaging.html', MESSAGING_URL), MESSAGING_URL);
    expect(second).toMatchObject({
      author: { displayName: 'Gary Thornbury', handle: 'gary-thornbury-4b2a11' },
      text: 'Think carefully before Saturday.',
      shownTime: { raw: 'Nov 20 at 9:47 PM', iso: null },
    });
  });

  it('the shown day and time are a form resolveShownTime reads', () => {
    const [first, , third] = extractAll(load('messaging.html', MESSAGING_URL), MESSAGING_URL);
    const capturedAt = new Date('2025-11-21T13:30:00Z');
    expect(resolveShownTime(first?.shownTime.raw ?? '', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2025-11-20T21:47:00.000Z',
    );
    expect(resolveShownTime(third?.shownTime.raw ?? '', capturedAt, 'en-GB', 'Europe/London').iso).toBe(
      '2025-11-21T08:02:00.000Z',
    );
  });

  it('lists an attached image, not avatars or seen receipts', () => {
    const messages = extractAll(load('messaging.html', MESSAGING_URL), MESSAGING_URL);
    expect(messages.map((message) => message.mediaUrls.length)).toEqual([0, 0, 0, 1]);
  });

  it('postContaining gives the message clicked; a conversation in the list is not a message', () => {
    const doc = load('messaging.html', MESSAGING_URL);
    const body = requireElement(doc, '.msg-s-message-list__event:nth-child(2) .msg-s-event-listitem__body');
    expect(linkedinAdapter.postContaining(body)).toBe(body.closest('li'));
    expect(linkedinAdapter.postContaining(requireElement(doc, '.msg-conversation-listitem p'))).toBeNull();
  });

  it('a zoned datetime on the time gives the ISO time', () => {
    const doc = load('messaging.html', MESSAGING_URL);
    requireElement(doc, '.msg-s-message-group__timestamp').setAttribute('datetime', '2025-11-20T21:47:00Z');
    const [first, second] = extractAll(doc, MESSAGING_URL);
    expect(first?.shownTime.iso).toBe('2025-11-20T21:47:00.000Z');
    expect(second?.shownTime.iso).toBe('2025-11-20T21:47:00.000Z');
  });

  it('a message with no sender line before it under its day has no author, and keeps the day alone', () => {
    const doc = load('messaging.html', MESSAGING_URL);
    requireElement(doc, '.msg-s-message-group__meta').remove();
    const [first, second] = extractAll(doc, MESSAGING_URL);
    expect(first).toMatchObject({
      author: { displayName: null, handle: null, profileUrl: null },
      shownTime: { raw: 'Nov 20', iso: null },
    });
    expect(second?.author.displayName).toBeNull();
  });

  it('in the chat overlay on another page, the conversation has its title and no URL', () => {
    const doc = documentAt(
      `<aside class="msg-overlay-container"><div class="msg-overlay-conversation-bubble">
        <header class="msg-overlay-bubble-header"><a href="/in/lee-marsh-ls11/"><h2>Lee Marsh</h2></a></header>
        <ul class="msg-s-message-list-content"><li class="msg-s-message-list__event">
          <time class="msg-s-message-list__time-heading">Yesterday</time>
          <div class="msg-s-event-listitem" data-event-urn="urn:li:msg_message:(urn:li:fsd_profile:ACoAAC1eeM4rsh11LsElEvEn0x9QpRt2Uv3WyZa,2-MTcxYWJj)">
            <div class="msg-s-message-group__meta"><a href="/in/lee-marsh-ls11/"><span class="msg-s-message-group__name">Lee Marsh</span></a><time class="msg-s-message-group__timestamp">11:58 PM</time></div>
            <p class="msg-s-event-listitem__body">See you Saturday, Priya.</p></div></li></ul></div></aside>`,
      FEED_URL,
    );
    const [message] = extractAll(doc, FEED_URL);
    expect(message).toMatchObject({
      postId: '2-MTcxYWJj',
      author: { displayName: 'Lee Marsh', handle: 'lee-marsh-ls11' },
      shownTime: { raw: 'Yesterday at 11:58 PM', iso: null },
      conversation: { title: 'Lee Marsh', url: null, participants: ['lee-marsh-ls11'] },
    });
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = documentAt('', FEED_URL);
  itReadsPageKinds(linkedinAdapter, doc, [
    [POST_URL.href, 'post'],
    [`https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A${POST_ID}/`, 'post'],
    [`${POST_URL.href}?commentUrn=urn%3Ali%3Acomment%3A%28activity%3A${POST_ID}%2C${COMMENT}%29`, 'post'],
    ['https://www.linkedin.com/feed/update/urn:li:ugcPost:7397562433000000000/', 'post'],
    ['https://www.linkedin.com/feed/update/urn:li:share:7397562433000000000/', 'post'],
    [`https://www.linkedin.com/posts/priya-natarajan-holbeck_holbeck-activity-${POST_ID}-Xa9Q/`, 'post'],
    ['https://www.linkedin.com/posts/gary-thornbury-4b2a11_rant-ugcPost-7397562433000000000-kH_m', 'post'],
    ['https://www.linkedin.com/feed/update/urn:li:aggregate:123/', 'unknown'],
    ['https://www.linkedin.com/posts/no-id-here/', 'unknown'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.linkedin.com/in/gary-thornbury-4b2a11', 'profile'],
    ['https://www.linkedin.com/company/holbeck-truth/', 'profile'],
    ['https://www.linkedin.com/company/holbeck-truth/posts/', 'profile'],
    [
      'https://www.linkedin.com/authwall?trk=public_profile&sessionRedirect=https%3A%2F%2Fwww.linkedin.com%2Fin%2Fgary-thornbury-4b2a11',
      'profile',
    ],
    ['https://www.linkedin.com/authwall?trk=feed', 'unknown'],
    ['https://www.linkedin.com/in/gary-thornbury-4b2a11/recent-activity/comments/', 'timeline'],
    ['https://www.linkedin.com/in/gary-thornbury-4b2a11/details/experience/', 'unknown'],
    [FEED_URL.href, 'timeline'],
    ['https://www.linkedin.com/feed/hashtag/holbeck/', 'timeline'],
    ['https://www.linkedin.com/search/results/content/?keywords=natarajan', 'timeline'],
    ['https://www.linkedin.com/notifications/', 'timeline'],
    [MESSAGING_URL.href, 'conversation'],
    ['https://www.linkedin.com/messaging/', 'conversation'],
    ['https://www.linkedin.com/messaging/thread/new/extra/', 'unknown'],
    ['https://www.linkedin.com/jobs/', 'unknown'],
  ]);

  itMatchesUrls(linkedinAdapter, [
    ['https://www.linkedin.com/feed/', true],
    ['https://linkedin.com/feed/', false],
    ['https://uk.linkedin.com/in/gary-thornbury-4b2a11', false],
    ['https://media.licdn.com/dms/image/v2/x', false],
  ]);

  itIsPickedByUrl(linkedinAdapter, 'LinkedIn', doc, POST_URL, ['https://www.linkedin.com/*']);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(linkedinAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('takes the member id from the top card’s Message button, not from the rail’s', () => {
    expect(linkedinAdapter.extractProfile(load('profile.html', PROFILE_URL), PROFILE_URL)?.accountId).toBe(
      'ACoAADqTZ1cBx7kQf3mW2pLr9sVtYh4nE0uJ8cI',
    );
  });

  it('does not record "500+ connections" as followers or following', () => {
    const profile = linkedinAdapter.extractProfile(load('profile.html', PROFILE_URL), PROFILE_URL);
    expect(profile).toMatchObject({ followersShown: '1,204', followingShown: null });
  });

  it('reads the verification badge', () => {
    const doc = load('profile.html', PROFILE_URL);
    requireElement(doc, 'h1').insertAdjacentHTML(
      'afterend',
      '<button aria-label="Verified"><svg data-test-icon="verified-small"></svg></button>',
    );
    expect(linkedinAdapter.extractProfile(doc, PROFILE_URL)?.verified).toBe(true);
  });

  it('reads a company page', () => {
    const url = new URL('https://www.linkedin.com/company/holbeck-truth/');
    const doc = documentAt(
      `<main><section class="org-top-card"><h1 class="org-top-card-summary__title">Holbeck Truth</h1>
       <p class="org-top-card-summary__tagline">Asking the questions the council won’t</p>
       <div class="org-top-card-summary-info-list"><div class="org-top-card-summary-info-list__info-item">312 followers</div></div></section></main>`,
      url,
    );
    expect(linkedinAdapter.extractProfile(doc, url)).toMatchObject({
      displayName: 'Holbeck Truth',
      handle: 'holbeck-truth',
      profileUrl: 'https://www.linkedin.com/company/holbeck-truth/',
      bio: 'Asking the questions the council won’t',
      state: 'public',
    });
  });

  it('a profile named by member id has that id and no handle', () => {
    const url = new URL('https://www.linkedin.com/in/ACoAADqTZ1cBx7kQf3mW2pLr9sVtYh4nE0uJ8cI/');
    expect(
      linkedinAdapter.extractProfile(documentAt('<main><section><h1>Gary Thornbury</h1></section></main>', url), url),
    ).toMatchObject({
      handle: null,
      accountId: 'ACoAADqTZ1cBx7kQf3mW2pLr9sVtYh4nE0uJ8cI',
      state: 'public',
    });
  });

  it.each([
    [
      '<main><h1>This page doesn’t exist</h1><p>Please check your URL or return to LinkedIn home.</p></main>',
      'not-found',
    ],
    [
      '<main><section><h2>This profile is not available</h2><p>The profile you’re trying to view is not available.</p></section></main>',
      'not-found',
    ],
    ['<main><section><h1>LinkedIn Member</h1><div class="text-body-medium">--</div></section></main>', 'protected'],
    [
      '<main><section class="top-card-layout"><h1 class="top-card-layout__title">Gary Thornbury</h1><h2 class="top-card-layout__headline">Director at Thornbury Roofing Ltd</h2></section><div class="modal"><h2>Sign in to view Gary’s full profile</h2><input name="session_key"><input name="session_password" type="password"></div></main>',
      'login-wall',
    ],
    [
      '<main><form class="login__form"><h1>Sign in</h1><input name="session_key"><input name="session_password" type="password"></form></main>',
      'login-wall',
    ],
    ['<main></main>', 'unknown'],
  ])('reads %s as %s', (body, state) => {
    const profile = linkedinAdapter.extractProfile(documentAt(body, PROFILE_URL), PROFILE_URL);
    expect(profile).toMatchObject({
      state,
      handle: 'gary-thornbury-4b2a11',
      profileUrl: 'https://www.linkedin.com/in/gary-thornbury-4b2a11/',
    });
    if (state === 'not-found') expect(profile?.displayName).toBeNull();
  });

  it('the public profile seen logged out is a login wall that still names the member', () => {
    const doc = documentAt(
      '<main><section class="top-card-layout"><h1 class="top-card-layout__title">Gary Thornbury</h1><h2 class="top-card-layout__headline">Director at Thornbury Roofing Ltd</h2></section><p>Sign in to view Gary’s full profile</p></main>',
      PROFILE_URL,
    );
    expect(linkedinAdapter.extractProfile(doc, PROFILE_URL)).toMatchObject({
      displayName: 'Gary Thornbury',
      bio: 'Director at Thornbury Roofing Ltd',
      state: 'login-wall',
    });
  });

  it('the authwall a logged-out profile redirects to is a login wall for the profile it names', () => {
    const url = new URL(
      'https://www.linkedin.com/authwall?trk=public_profile&trkInfo=AQ&original_referer=&sessionRedirect=https%3A%2F%2Fwww.linkedin.com%2Fin%2Fgary-thornbury-4b2a11',
    );
    const doc = documentAt('<main><h1>Join LinkedIn</h1><input name="session_password"></main>', url);
    expect(linkedinAdapter.extractProfile(doc, url)).toEqual({
      platform: 'linkedin',
      displayName: null,
      handle: 'gary-thornbury-4b2a11',
      profileUrl: 'https://www.linkedin.com/in/gary-thornbury-4b2a11/',
      bio: null,
      followersShown: null,
      followingShown: null,
      postsShown: null,
      joinedShown: null,
      accountId: null,
      verified: null,
      state: 'login-wall',
    });
  });
});

describe('the 2026 feed markup (no URNs, hashed classes, role=listitem)', () => {
  const item = (body: string) =>
    documentAt(`<main><div role="listitem"><h2>Feed post</h2>${body}</div></main>`, FEED_URL);
  const read = (doc: Document) => linkedinAdapter.readPost(linkedinAdapter.listPosts(doc)[0]!, FEED_URL);

  it('records which label and link each field came from', () => {
    const doc = load('feed-2026.html', FEED_URL);
    const { post, via } = linkedinAdapter.readPost(linkedinAdapter.listPosts(doc)[0]!, FEED_URL);
    expect(post.author.handle).toBe('gary-thornbury-4b2a11');
    expect(via).toEqual({
      author: 'control menu aria-label',
      handle: 'author link showing the name',
      text: 'expandable-text-box test id',
      shownTime: 'relative time label',
      permalink: 'not found',
    });
  });

  it('falls back to the avatar’s alt text when the control menu is not labelled, and never takes "<connection> likes this" for the author', () => {
    const { post, via } = read(
      item(
        '<p><a href="https://www.linkedin.com/in/dean-pollard-9c1/"><strong>Dean Pollard</strong></a> likes this</p>' +
          '<a href="https://www.linkedin.com/in/lee-marsh-88/"><img alt="View Lee Marsh’s profile"></a>' +
          '<a href="https://www.linkedin.com/in/lee-marsh-88/"><span>Lee Marsh</span></a><p>12m •</p>' +
          '<span data-testid="expandable-text-box">We know which street she lives on.</span>',
      ),
    );
    expect(post.author).toEqual({
      displayName: 'Lee Marsh',
      handle: 'lee-marsh-88',
      profileUrl: 'https://www.linkedin.com/in/lee-marsh-88/',
    });
    expect(post.shownTime).toEqual({ raw: '12m', iso: null });
    expect(via.author).toBe('avatar alt text');
  });

  it('reads nothing it cannot see: a card with no author, time or text has none', () => {
    const { post, via } = read(item('<p>Popular course on LinkedIn Learning</p><a href="/learning/x/">A course</a>'));
    expect(post).toEqual(blankPost('linkedin'));
    expect(Object.values(via).every((v) => v === 'not found')).toBe(true);
  });
});

describe('the 2022 classic markup (feed-shared-actor)', () => {
  it('reads the author and time from the older actor block', () => {
    const doc = documentAt(
      `<div class="feed-shared-update-v2" data-urn="urn:li:activity:6928572401169432576">
        <div class="feed-shared-actor"><a href="https://www.linkedin.com/in/lee-marsh-88?miniProfileUrn=x">
          <span class="feed-shared-actor__title"><span class="feed-shared-actor__name"><span dir="ltr">Lee Marsh</span></span>
          <span class="feed-shared-actor__supplementary-actor-info"> • 2nd </span></span>
          <span class="feed-shared-actor__sub-description"><span aria-hidden="true">1h • </span><span class="visually-hidden">1 hour ago</span></span></a></div>
        <div class="feed-shared-text"><span dir="ltr">Someone should pay her a visit.</span></div></div>`,
      FEED_URL,
    );
    const post = linkedinAdapter.extractPost(linkedinAdapter.listPosts(doc)[0]!, FEED_URL);
    expect(post.author).toEqual({
      displayName: 'Lee Marsh',
      handle: 'lee-marsh-88',
      profileUrl: 'https://www.linkedin.com/in/lee-marsh-88/',
    });
    expect(post.shownTime.raw).toBe('1h');
    expect(post.text).toBe('Someone should pay her a visit.');
  });
});
