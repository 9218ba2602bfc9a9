import { describe, expect, it } from 'vitest';
import { chooseTargetTab } from '../../../src/ui/target-tab';

describe('chooseTargetTab', () => {
  const tabs = [
    { id: 1, windowId: 10, lastAccessed: 500 },
    { id: 2, windowId: 20, lastAccessed: 900 },
  ];

  it('takes the active tab of the last focused window when it is a normal window', () => {
    expect(chooseTargetTab(tabs, { id: 10, type: 'normal' })).toBe(1);
  });

  it('never the popup window: falls back to the normal window used last', () => {
    expect(chooseTargetTab(tabs, { id: 30, type: 'popup' })).toBe(2);
    expect(chooseTargetTab(tabs, null)).toBe(2);
  });

  it('says there is none when no normal window has a tab', () => {
    expect(chooseTargetTab([], { id: 10, type: 'normal' })).toBeNull();
  });
});
