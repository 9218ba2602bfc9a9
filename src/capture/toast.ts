/**
 * The in-page confirmation. It lives in a closed shadow root so page styles
 * cannot restyle or hide it and page scripts cannot read it, and it is shown
 * only after the screenshot, so it never appears in the evidence.
 */
import type { ToastLevel } from '../messages';

export function showToast(doc: Document, level: ToastLevel, message: string, durationMs = 7000): void {
  const host = doc.createElement('witness-box-toast');
  const root = host.attachShadow({ mode: 'closed' });
  const box = doc.createElement('div');
  box.setAttribute('role', level === 'error' || level === 'warning' ? 'alert' : 'status');
  box.textContent = message;
  const colours = { success: '#0b6b2f', warning: '#8a4b00', error: '#a4161a', info: '#1d3557' } as const;
  const style = doc.createElement('style');
  style.textContent = `div{position:fixed;z-index:2147483647;right:16px;bottom:16px;max-width:420px;padding:12px 16px;border-radius:8px;
    font:15px/1.4 system-ui,sans-serif;color:#fff;background:${colours[level]};box-shadow:0 4px 16px rgba(0,0,0,.3)}`;
  root.append(style, box);
  doc.documentElement.append(host);
  setTimeout(() => host.remove(), durationMs);
}
