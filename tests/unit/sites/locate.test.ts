import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { locatePost, nearestToViewportCentre } from '../../../src/sites/locate';
import { xAdapter } from '../../../src/sites/x';

describe('nearestToViewportCentre', () => {
  it('is -1 for no rects', () => {
    expect(nearestToViewportCentre([], 800)).toBe(-1);
  });

  it('picks the rect whose centre is nearest the middle of the viewport', () => {
    const rects = [
      { top: -300, bottom: 100 },
      { top: 100, bottom: 380 },
      { top: 380, bottom: 700 },
      { top: 700, bottom: 1000 },
    ];
    expect(nearestToViewportCentre(rects, 800)).toBe(2);
  });

  it('prefers a rect on screen to one off screen whose centre is nearer', () => {
    // A very tall post mostly below the fold still beats a short one just above the viewport.
    const rects = [
      { top: -60, bottom: -10 },
      { top: 790, bottom: 3000 },
    ];
    expect(nearestToViewportCentre(rects, 800)).toBe(1);
  });

  it('falls back to the nearest rect when none is on screen', () => {
    const rects = [
      { top: -900, bottom: -500 },
      { top: -200, bottom: -20 },
      { top: 1200, bottom: 1400 },
    ];
    expect(nearestToViewportCentre(rects, 800)).toBe(1);
  });

  it('keeps the first of equally near rects', () => {
    expect(
      nearestToViewportCentre(
        [
          { top: 0, bottom: 0 },
          { top: 0, bottom: 0 },
        ],
        0,
      ),
    ).toBe(0);
  });
});

/** Three posts on a status page, the second being the one the URL names. */
function statusPage(): { doc: Document; url: URL; posts: Element[] } {
  const post = (handle: string, id: string) =>
    `<div data-testid="cellInnerDiv"><article data-testid="tweet">
       <div data-testid="User-Name"><span>${handle}</span><span>@${handle}</span></div>
       <a href="/${handle}/status/${id}"><time datetime="2026-11-20T18:42:07.000Z">Nov 20</time></a>
       <div data-testid="tweetText"><span>text of ${id}</span></div>
     </article></div>`;
  const doc = new JSDOM(`<main>${post('Ancestor', '1')}${post('GazT_1977', '2')}${post('Replier', '3')}</main>`).window
    .document;
  return { doc, url: new URL('https://x.com/GazT_1977/status/2'), posts: Array.from(doc.querySelectorAll('article')) };
}

/** jsdom lays nothing out, so each post is given the box a browser would have drawn. */
function placePosts(posts: Element[], spans: Array<[number, number]>): void {
  posts.forEach((post, i) => {
    const [top, bottom] = spans[i] ?? [0, 0];
    post.getBoundingClientRect = () => ({
      top,
      bottom,
      left: 0,
      right: 600,
      x: 0,
      y: top,
      width: 600,
      height: bottom - top,
      toJSON: () => ({}),
    });
  });
}

describe('locatePost', () => {
  it('returns the post holding the click target', () => {
    const { doc, url, posts } = statusPage();
    const span = posts[2]?.querySelector('[data-testid="tweetText"] span') ?? null;
    expect(locatePost(xAdapter, doc, url, span, 800)).toBe(posts[2]);
  });

  it('returns null for a click outside any post, rather than guessing', () => {
    const { doc, url } = statusPage();
    expect(locatePost(xAdapter, doc, url, doc.querySelector('main'), 800)).toBeNull();
  });

  it('on a status page takes the named post when it is on screen, even off centre', () => {
    const { doc, url, posts } = statusPage();
    placePosts(posts, [
      [100, 600],
      [600, 760],
      [760, 1200],
    ]);
    expect(locatePost(xAdapter, doc, url, null, 800)).toBe(posts[1]);
  });

  it('on a status page scrolled past the named post takes the post nearest the centre', () => {
    const { doc, url, posts } = statusPage();
    placePosts(posts, [
      [-900, -600],
      [-600, -100],
      [-100, 900],
    ]);
    expect(locatePost(xAdapter, doc, url, null, 800)).toBe(posts[2]);
  });

  it('on a timeline takes the post nearest the centre', () => {
    const { doc, posts } = statusPage();
    placePosts(posts, [
      [0, 300],
      [300, 420],
      [420, 800],
    ]);
    expect(locatePost(xAdapter, doc, new URL('https://x.com/home'), null, 800)).toBe(posts[1]);
  });

  it('is null on a page without posts', () => {
    const doc = new JSDOM('<main></main>').window.document;
    expect(locatePost(xAdapter, doc, new URL('https://x.com/home'), null, 800)).toBeNull();
  });
});
