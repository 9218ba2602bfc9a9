import { browser, type Browser } from 'wxt/browser';
import type { AdapterReading } from './sites/read';
import type { PostInfo, ProfileInfo } from './sites/types';
import type { CaptureSummary } from './evidence/model';
import type { Environment } from './background/environment';
import type { BundleIncludes, ExportProfile } from './bundle/export';
import type { ExportSelection } from './bundle/collect';
import type { TimestampStatus } from './background/timestamps';

/**
 * The one message protocol between the extension's contexts. Each context
 * has a typed map of request → response; `to` names the context that answers,
 * because runtime messages reach every extension page at once (popup,
 * manager, offscreen document) and only one of them may reply.
 */

/** `picker`: the user chose the element themselves, with the element picker. */
export type CaptureTrigger = 'popup' | 'command' | 'context-menu' | 'picker';

/** `warning`: saved, but something the user should check (a field the adapter could not read). */
export type ToastLevel = 'success' | 'warning' | 'error' | 'info';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LocatedPost {
  post: PostInfo;
  /** Which adapter read the post, how it read each key field, and which it could not read. */
  reading: AdapterReading;
  /** The post's box in CSS pixels, relative to the viewport. */
  rect: Rect;
  viewport: { width: number; height: number };
  devicePixelRatio: number;
  /** post.html as stored: the post's markup behind the inert header (src/capture/inert-html.ts). */
  postHtml: string;
  pageUrl: string;
  pageTitle: string;
  /** Text the user had selected inside the post, when any: often the words that matter. */
  selectedText: string | null;
  /** Names the located element for the follow-up render request. */
  token: string;
}

/** The page has no site adapter, so the element picker now waits for the user to click what to capture. */
export interface PickerStarted {
  picking: true;
  /** What the user should do next, for the popup and the page's toast. */
  message: string;
}

export type CaptureOutcome =
  | {
      ok: true;
      captureId: string;
      summary: CaptureSummary;
      missing: { name: string; reason: string }[];
      /** Milliseconds per step, trigger to "saved"; reported by the e2e run and the benchmark. */
      timings: Record<string, number>;
    }
  | { ok: false; error: string }
  /** Nothing captured yet: the user is choosing the element in the page, and the capture follows their click. */
  | { ok: 'picking'; message: string };

export type ProfileOutcome =
  | { ok: true; profileCaptureId: string; reused: boolean; state: ProfileInfo['state'] }
  | { ok: false; error: string }
  /** Firefox: the profile is open in the tab, waiting for the user to press Capture profile there. */
  | { ok: 'opened'; message: string };

export interface ExportOutcome {
  fileName: string;
  fileCount: number;
  captureCount: number;
  bytes: number;
  /** Which export profile the bundle was made with (absent from older senders). */
  profile?: ExportProfile;
  /** Damaged stored records left out of the bundle, one line each naming the record and what is wrong. */
  leftOut?: string[];
}

/** Answered by the background service worker. */
export interface BackgroundProtocol {
  'capture-tab': { request: { tabId: number; trigger: CaptureTrigger }; response: CaptureOutcome };
  /** The newest captures, and a line naming each damaged stored record met on the way (never shown as a capture). */
  'list-captures': { request: { limit: number }; response: { captures: CaptureSummary[]; damaged: string[] } };
  /** Captures the author's profile for a stored post, in the given tab (which must be on the same site). */
  'retry-profile': { request: { captureId: string; tabId: number }; response: ProfileOutcome };
  /** Lets the user choose the element to capture in the tab (any site); the capture follows their click. */
  'start-picker': { request: { tabId: number }; response: PickerStarted };
  /** From the content script: the user picked an element; capture it in the sender's tab. */
  'capture-picked': { request: Record<string, never>; response: CaptureOutcome };
  /** The whole page the tab shows (any site): the visible screen, the page stitched top to bottom, and its archive. */
  'capture-page': { request: { tabId: number }; response: CaptureOutcome };
  /** Captures the profile page the tab shows, on its own (not for a post). */
  'capture-profile': { request: { tabId: number }; response: ProfileOutcome };
  /** `profile` defaults to police (everything); the background must pass it all on in OffscreenExportRequest. */
  'export-bundle': { request: ExportChoice; response: ExportOutcome };
  /** The trusted-timestamp queue: whether it is on, how many captures wait, the last error and success. */
  'timestamp-status': { request: Record<string, never>; response: TimestampStatus };
  /** Tries every queued timestamp now, whatever its backoff; answers with the status after. */
  'retry-timestamps': { request: Record<string, never>; response: TimestampStatus };
}

/** Answered by the content script in a tab. */
export interface ContentProtocol {
  /** On a page no adapter can read, starts the element picker instead of guessing. */
  'locate-post': { request: { trigger: CaptureTrigger }; response: LocatedPost | PickerStarted };
  'start-picker': { request: Record<string, never>; response: PickerStarted };
  /** The page's address, title and the text selected in it, for a whole-page capture. */
  'describe-page': {
    request: Record<string, never>;
    response: { url: string; title: string; selectedText: string | null; devicePixelRatio: number };
  };
  /**
   * The located post's box now, read just before the screenshot: a queued shot may wait while the
   * page scrolls. A post scrolled out of view meanwhile is brought back first, so the shot shows it.
   */
  'measure-post': { request: { token: string }; response: { rect: Rect } };
  'render-post': { request: { token: string }; response: { pngDataUrl: string; omittedImages: string[] } };
  /** Firefox: marks the located post for the render that runs in the page's own context (src/capture/page-render.ts). */
  'mark-for-render': { request: { token: string }; response: null };
  /** page.html (Firefox) as stored: the page's markup behind the inert header. */
  'snapshot-page': { request: Record<string, never>; response: { html: string } };
  /** Waits until the page shows a profile (or says why it cannot), then reads it. */
  'read-profile': {
    request: { timeoutMs: number };
    response: { profile: ProfileInfo | null; url: string; devicePixelRatio: number };
  };
  /** Scrolls to `y` (null: stay) and reports where the page really is. */
  'scroll-to': {
    request: { y: number | null };
    response: { scrollY: number; viewportHeight: number; documentHeight: number };
  };
  toast: { request: { level: ToastLevel; message: string }; response: null };
}

/** What the offscreen document needs to export: it cannot read extension storage itself. */
/** What the user chose to export: police (everything), or a platform report of chosen captures with chosen extras. */
export interface ExportChoice {
  profile?: ExportProfile;
  /** Platform report only: the chosen captures, or one platform's; absent, the whole case. */
  selection?: ExportSelection;
  /** Platform report only: notes, and the names of the people involved. */
  include?: Partial<BundleIncludes>;
}

export interface OffscreenExportRequest extends ExportChoice {
  caseId: string;
  caseName: string;
  exportedBy: string;
  environment: Environment;
}

/** Answered by the offscreen document (Chrome), which can make blob URLs the worker cannot. */
export interface OffscreenProtocol {
  'offscreen-export': { request: OffscreenExportRequest; response: ExportOutcome & { blobUrl: string } };
  'offscreen-revoke': { request: { blobUrl: string }; response: null };
}

/** Heard by every open extension page (popup, manager); nobody need be listening. */
export interface PageProtocol {
  'export-progress': { request: { done: number; total: number }; response: null };
}

type Protocols = {
  background: BackgroundProtocol;
  content: ContentProtocol;
  offscreen: OffscreenProtocol;
  page: PageProtocol;
};
type Context = keyof Protocols;

export type Message<P, K extends keyof P> = P[K] extends { request: infer R } ? { type: K } & R : never;
type Response<P, K extends keyof P> = P[K] extends { response: infer R } ? R : never;

type Envelope = { to: Context; type: string; payload: unknown };
type Reply = { ok: true; value: unknown } | { ok: false; error: string };

export type Handlers<P> = {
  [K in keyof P]: (message: Message<P, K>, sender: Browser.runtime.MessageSender) => Promise<Response<P, K>>;
};

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && 'to' in value && 'type' in value && 'payload' in value;
}

async function unwrap(reply: unknown, what: string): Promise<never | unknown> {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new Error(`No answer to "${what}": the other part of the extension is not listening.`);
  }
  const r = reply as Reply;
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function envelope(to: Context, type: string, message: object): Envelope {
  return { to, type, payload: message };
}

export async function sendToBackground<K extends keyof BackgroundProtocol>(
  type: K,
  request: BackgroundProtocol[K]['request'],
): Promise<BackgroundProtocol[K]['response']> {
  const reply = await browser.runtime.sendMessage(envelope('background', type, request));
  return (await unwrap(reply, type)) as BackgroundProtocol[K]['response'];
}

export async function sendToOffscreen<K extends keyof OffscreenProtocol>(
  type: K,
  request: OffscreenProtocol[K]['request'],
): Promise<OffscreenProtocol[K]['response']> {
  const reply = await browser.runtime.sendMessage(envelope('offscreen', type, request));
  return (await unwrap(reply, type)) as OffscreenProtocol[K]['response'];
}

/** Tells any open extension page; a closed popup is no error, so nothing waits for or needs an answer. */
export function announceToPages<K extends keyof PageProtocol>(type: K, request: PageProtocol[K]['request']): void {
  void browser.runtime.sendMessage(envelope('page', type, request)).catch(() => undefined);
}

export async function sendToTab<K extends keyof ContentProtocol>(
  tabId: number,
  type: K,
  request: ContentProtocol[K]['request'],
): Promise<ContentProtocol[K]['response']> {
  const reply = await browser.tabs.sendMessage(tabId, envelope('content', type, request));
  return (await unwrap(reply, type)) as ContentProtocol[K]['response'];
}

/**
 * Answers the messages addressed to `context` with `handlers`; returns the
 * function that stops listening, for contexts that outlive a page.
 */
export function listen<C extends Context>(context: C, handlers: Handlers<Protocols[C]>): () => void {
  const listener = (raw: unknown, sender: Browser.runtime.MessageSender): Promise<Reply> | undefined => {
    if (!isEnvelope(raw) || raw.to !== context || !(raw.type in handlers)) return undefined;
    const handler = handlers[raw.type as keyof Protocols[C]] as (
      m: unknown,
      s: Browser.runtime.MessageSender,
    ) => Promise<unknown>;
    const message = { ...(raw.payload as object), type: raw.type };
    return handler(message, sender).then(
      (value): Reply => ({ ok: true, value }),
      (error: unknown): Reply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
