/**
 * Where to report abuse: the police advice and each platform's own reporting
 * and safety pages. One source for the bundle's README, report.html and the
 * extension's "Where to report" page.
 *
 * The links for Meta, X, TikTok, YouTube, LinkedIn and WhatsApp are the ones
 * in the candidates' guidance (`shared/seeds/guidance-online-abuse-candidates.txt`);
 * the rest are the platforms' own well-known help pages. Where a platform has
 * no reporting form on the web, reporting is in the app, and `howToReport` says how.
 */

export interface PlatformLink {
  label: string;
  url: string;
}

export interface PlatformReporting {
  /** The platform id used by captures (`Capture.platform`), e.g. "x". */
  id: string;
  name: string;
  /** What to do, in one or two plain sentences. */
  howToReport: string;
  /** A reporting form or the help page on how to report, when the platform has one on the web. */
  reportUrl: string | null;
  safetyUrl: string;
  /** Further pages from the guidance, worth knowing. */
  more: PlatformLink[];
}

export interface PoliceAdvice {
  emergency: string;
  nonEmergency: string;
  links: PlatformLink[];
}

export const POLICE_ADVICE: PoliceAdvice = {
  emergency: 'If you, or someone you know, are in immediate danger, call the police on 999.',
  nonEmergency:
    'Otherwise, report it to the police on 101 (non-emergency) and give them this evidence. Keep any crime reference number they give you.',
  links: [
    {
      label: 'When you should go to the police',
      url: 'https://reportharmfulcontent.com/when-should-you-go-to-the-police/',
    },
    {
      label: 'Stalking and harassment (police.uk)',
      url: 'https://www.police.uk/advice/advice-and-information/sh/stalking-harassment/what-is-stalking-harassment/',
    },
    { label: 'Report Harmful Content', url: 'https://reportharmfulcontent.com/' },
    { label: 'Documenting online abuse (Online SOS)', url: 'https://www.onlinesos.org/' },
  ],
};

const IN_APP = 'Use the menu (…) on the post, comment or profile and choose Report.';

const META_MORE: PlatformLink[] = [
  {
    label: 'Crisis support resources (choose UK)',
    url: 'https://about.meta.com/actions/safety/crisis-support-resources',
  },
  {
    label: 'Online safety for women in government',
    url: 'https://www.facebook.com/government-nonprofits/blog/online-safety-for-women-in-government',
  },
  {
    label: 'Guidance for prospective politicians',
    url: 'https://www.facebook.com/government-nonprofits/best-practices/candidate',
  },
  {
    label: 'Tips to protect your Facebook and Instagram accounts',
    url: 'https://www.facebook.com/government-nonprofits/blog/tips-to-protect-your-facebook-account',
  },
];

const meta = (id: string, name: string): PlatformReporting => ({
  id,
  name,
  howToReport: IN_APP,
  reportUrl: null,
  safetyUrl: 'https://about.meta.com/actions/safety',
  more: META_MORE,
});

/** In the order the "Where to report" page lists them. */
export const PLATFORM_REPORTING: readonly PlatformReporting[] = [
  {
    id: 'x',
    name: 'X (formerly Twitter)',
    howToReport: `${IN_APP} X's reporting help page also links its web forms for abuse and threats.`,
    reportUrl: 'https://help.x.com/en/rules-and-policies/x-report-violation',
    safetyUrl: 'https://help.twitter.com/en/safety-and-security',
    more: [],
  },
  meta('facebook', 'Facebook (Meta)'),
  meta('instagram', 'Instagram (Meta)'),
  meta('threads', 'Threads (Meta)'),
  {
    ...meta('whatsapp', 'WhatsApp (Meta)'),
    howToReport: 'Open the chat, tap the contact or group name, then Report (you can block them at the same time).',
    more: [{ label: 'Staying safe on WhatsApp', url: 'https://faq.whatsapp.com/1313491802751163' }, ...META_MORE],
  },
  {
    id: 'tiktok',
    name: 'TikTok',
    howToReport: 'Press and hold the video or comment, or use Share on a profile, and choose Report.',
    reportUrl: 'https://support.tiktok.com/en/safety-hc/report-a-problem',
    safetyUrl: 'https://www.tiktok.com/safety/en/safety-privacy-controls/',
    more: [
      { label: 'TikTok community guidelines', url: 'https://www.tiktok.com/community-guidelines/en/' },
      {
        label: 'Protecting election integrity',
        url: 'https://newsroom.tiktok.com/en-us/protecting-election-integrity-in-2024',
      },
    ],
  },
  {
    id: 'youtube',
    name: 'YouTube',
    howToReport:
      "Use the menu (⋮) under the video, beside the comment or on the channel's About page, and choose Report.",
    reportUrl: 'https://support.google.com/youtube/answer/2802027',
    safetyUrl: 'https://support.google.com/youtube/topic/2803240?hl=en&ref_topic=6151248',
    more: [],
  },
  {
    id: 'linkedin',
    name: 'LinkedIn',
    howToReport: 'Use the menu (…) on the post, comment, message or profile and choose Report.',
    reportUrl: null,
    safetyUrl: 'https://www.linkedin.com/help/linkedin/answer/a1337839/?lang=en',
    more: [],
  },
  {
    id: 'reddit',
    name: 'Reddit',
    howToReport: 'Use Report under the post or comment, or the web form for harassment and threats.',
    reportUrl: 'https://www.reddit.com/report',
    safetyUrl: 'https://support.reddithelp.com/hc/en-us',
    more: [{ label: 'Reddit content policy', url: 'https://redditinc.com/policies/content-policy' }],
  },
  {
    id: 'bluesky',
    name: 'Bluesky',
    howToReport: `${IN_APP} Bluesky takes reports in the app only.`,
    reportUrl: null,
    safetyUrl: 'https://bsky.social/about/support',
    more: [{ label: 'Bluesky community guidelines', url: 'https://bsky.social/about/support/community-guidelines' }],
  },
  {
    id: 'mastodon',
    name: 'Mastodon',
    howToReport: `${IN_APP} The report goes to the moderators of your server; tick "forward" to send it to the author's server too.`,
    reportUrl: null,
    safetyUrl: 'https://docs.joinmastodon.org/user/moderating/',
    more: [],
  },
];

export const OTHER_WEBSITES: PlatformReporting = {
  id: 'generic',
  name: 'Other websites',
  howToReport: "Use the website's own report button or contact form, and keep a copy of what you sent.",
  reportUrl: null,
  safetyUrl: 'https://reportharmfulcontent.com/',
  more: [],
};

const BY_ID = new Map(PLATFORM_REPORTING.map((p) => [p.id, p]));

/** The reporting entry for a capture's platform id; any platform not listed gets the advice for other websites. */
export function reportingFor(platform: string): PlatformReporting {
  return BY_ID.get(platform) ?? OTHER_WEBSITES;
}

/** One entry per distinct platform in `platforms`, in first-seen order; unknown ones share the "other websites" entry. */
export function reportingForAll(platforms: Iterable<string>): PlatformReporting[] {
  const out = new Map<string, PlatformReporting>();
  for (const p of platforms) {
    const entry = reportingFor(p);
    out.set(entry.id, entry);
  }
  return [...out.values()];
}

/** The platform's name for people: "X (formerly Twitter)", "Web page" for the generic adapter, the id itself if unknown. */
export function platformLabel(platform: string): string {
  return BY_ID.get(platform)?.name ?? (platform === OTHER_WEBSITES.id ? 'Web page' : platform);
}
