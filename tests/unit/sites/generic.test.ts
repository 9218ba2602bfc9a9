import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPickedElement } from '../../../src/sites/generic';

const PAGE = new URL('https://www.holbeck-gazette.example/news/2026/11/office-opening');

function element(html: string, selector = 'body > *'): Element {
  const doc = new JSDOM(`<!doctype html><body>${html}</body>`, { url: PAGE.href }).window.document;
  const found = doc.querySelector(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

describe('an element picked on a site Witness Box has no adapter for', () => {
  it('reads a microformats2 h-entry comment: author card, permalink, published time, content, reply-to', () => {
    const comment = element(`
      <article class="comment h-entry" id="comment-4812">
        <footer>
          <a class="p-author h-card" href="/profile/gazt1977"><img src="/avatars/g.png" alt=""><span class="p-name">Gary Thornbury</span></a>
          <a class="u-url" href="#comment-4812"><time class="dt-published" datetime="2026-11-20T18:42:00+00:00">20 November 2026 at 6.42pm</time></a>
          <a class="u-in-reply-to" href="https://www.holbeck-gazette.example/news/2026/11/office-opening"></a>
        </footer>
        <div class="e-content"><p>We know where your office is.</p></div>
      </article>`);
    expect(extractPickedElement(comment, PAGE, 'generic')).toEqual({
      platform: 'generic',
      permalink: `${PAGE.href}#comment-4812`,
      postId: null,
      author: {
        displayName: 'Gary Thornbury',
        handle: null,
        profileUrl: 'https://www.holbeck-gazette.example/profile/gazt1977',
      },
      text: 'We know where your office is.',
      shownTime: { raw: '20 November 2026 at 6.42pm', iso: '2026-11-20T18:42:00.000Z' },
      mediaUrls: ['https://www.holbeck-gazette.example/avatars/g.png'],
      isReply: true,
      replyToUrl: PAGE.href,
      quotedPostUrl: null,
    });
  });

  it('reads schema.org microdata, with the time only in a <meta content>', () => {
    const comment = element(`
      <div itemscope itemtype="https://schema.org/Comment">
        <span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="https://forum.example/u/gaz"><span itemprop="name">gaz_t</span></a></span>
        <meta itemprop="dateCreated" content="2026-11-21T08:05:00Z">
        <div itemprop="text">Disgrace.</div>
      </div>`);
    const post = extractPickedElement(comment, PAGE, 'generic');
    expect(post.author).toEqual({ displayName: 'gaz_t', handle: null, profileUrl: 'https://forum.example/u/gaz' });
    expect(post.shownTime).toEqual({ raw: null, iso: '2026-11-21T08:05:00.000Z' });
    expect(post.text).toBe('Disgrace.');
    expect(post.permalink).toBeNull();
  });

  it('reads a WordPress comment (comment-author .fn, comment-content, the time link as permalink)', () => {
    const comment = element(`
      <li class="comment" id="li-comment-77"><article class="comment-body">
        <div class="comment-author vcard"><b class="fn"><a href="https://gaz.example" class="url" rel="ugc external nofollow">Gaz</a></b> <span class="says">says:</span></div>
        <div class="comment-metadata"><a href="https://blog.example/post/#comment-77"><time datetime="2026-11-22T10:00:00+00:00">November 22, 2026 at 10:00 am</time></a></div>
        <div class="comment-content"><p>Watch your back.</p></div>
      </article></li>`);
    const post = extractPickedElement(comment, PAGE, 'generic');
    expect(post.author).toEqual({ displayName: 'Gaz', handle: null, profileUrl: 'https://gaz.example/' });
    expect(post.permalink).toBe('https://blog.example/post/#comment-77');
    expect(post.text).toBe('Watch your back.');
    expect(post.shownTime.iso).toBe('2026-11-22T10:00:00.000Z');
  });

  it('with no declared structure keeps only what it shows: all its text, its images, and nothing guessed', () => {
    const div = element(
      '<div class="x9f2"><b>anon</b> 2 hours ago<p>you will regret this</p><img src="https://cdn.example/m.jpg"></div>',
    );
    expect(extractPickedElement(div, PAGE, 'x')).toEqual({
      platform: 'x',
      permalink: null,
      postId: null,
      author: { displayName: null, handle: null, profileUrl: null },
      text: 'anon 2 hours ago\nyou will regret this',
      shownTime: { raw: null, iso: null },
      mediaUrls: ['https://cdn.example/m.jpg'],
      isReply: false,
      replyToUrl: null,
      quotedPostUrl: null,
    });
  });

  it('an element with an id but no link gets the page address pointing at it', () => {
    expect(extractPickedElement(element('<section id="c-9">text</section>'), PAGE, 'generic').permalink).toBe(
      `${PAGE.href}#c-9`,
    );
  });

  it('an empty element has no text rather than an empty one, and javascript: links are not URLs', () => {
    const post = extractPickedElement(
      element('<div><a class="p-author" href="javascript:alert(1)">x</a><img src="javascript:alert(1)"></div>'),
      PAGE,
      'generic',
    );
    expect(post.author.profileUrl).toBeNull();
    expect(post.mediaUrls).toEqual([]);
    expect(extractPickedElement(element('<div> </div>'), PAGE, 'generic').text).toBeNull();
  });
});

describe('a picked comment with replies nested inside it', () => {
  it('reads its own author, time, link and words, not those of a reply that comes first in the markup', () => {
    const comment = element(`
      <article class="comment h-entry" id="comment-1">
        <article class="comment h-entry" id="comment-2">
          <a class="p-author h-card" href="/u/reply"><span class="p-name">Replier</span></a>
          <a class="u-url" href="#comment-2"><time class="dt-published" datetime="2026-11-20T19:00:00Z">7pm</time></a>
          <div class="e-content">the reply</div>
        </article>
        <a class="p-author h-card" href="/u/gaz"><span class="p-name">Gary Thornbury</span></a>
        <a class="u-url" href="#comment-1"><time class="dt-published" datetime="2026-11-20T18:00:00Z">6pm</time></a>
        <div class="e-content">the comment</div>
      </article>`);
    const post = extractPickedElement(comment, PAGE, 'generic');
    expect(post.author.displayName).toBe('Gary Thornbury');
    expect(post.permalink).toBe(`${PAGE.href}#comment-1`);
    expect(post.shownTime.iso).toBe('2026-11-20T18:00:00.000Z');
    expect(post.text).toBe('the comment');
  });
});
