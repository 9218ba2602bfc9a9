import { formatFingerprint, type TrustedKey } from '../../evidence/fingerprint';
import { capturesImportedWith, listTrustedKeys, trustKey, withdrawKey } from '../../evidence/trusted-keys';
import { button, el, errorText, required } from '../dom';
import type { ManagerContext } from './context';

/**
 * "Keys you trust": this installation's own key first, then each volunteer's,
 * with its fingerprint in groups of four, when it was added and, once
 * withdrawn, the captures that were imported with it, to be looked at again.
 * Adding asks for the fingerprint and a name; withdrawing asks first.
 */
export interface TrustedKeysView {
  refresh(): Promise<void>;
}

export function startTrustedKeys(ctx: ManagerContext): TrustedKeysView {
  const { doc, db } = ctx;
  const listEl = required<HTMLUListElement>(doc, '#trusted-key-list');
  const form = required<HTMLFormElement>(doc, '#trust-key-form');
  const fingerprintInput = required<HTMLInputElement>(doc, '#trust-key-fingerprint');
  const nameInput = required<HTMLInputElement>(doc, '#trust-key-name');
  const status = required<HTMLElement>(doc, '#trusted-keys-status');
  const tell = (text: string, kind: 'success' | 'error') => {
    status.textContent = text;
    status.dataset.kind = kind;
  };

  const refresh = async () => {
    const keys = await listTrustedKeys(db);
    const items = await Promise.all(keys.map((key) => keyItem(key)));
    listEl.replaceChildren(...items);
  };

  const keyItem = async (key: TrustedKey): Promise<HTMLElement> => {
    const item = el(doc, 'li', { className: 'trusted-key', attrs: { 'data-fingerprint': key.fingerprint } });
    const state = key.own
      ? 'always trusted'
      : key.withdrawnAt
        ? `withdrawn ${key.withdrawnAt}`
        : `added ${key.addedAt}`;
    item.append(
      el(doc, 'strong', { className: 'trusted-key-name', text: key.name }),
      ` (${state})`,
      el(doc, 'br'),
      el(doc, 'code', { className: 'fingerprint', text: formatFingerprint(key.fingerprint) }),
    );
    if (key.withdrawnAt) {
      item.dataset.withdrawn = 'true';
      const flagged = await capturesImportedWith(db, key.fingerprint);
      if (flagged.length) {
        const links = flagged.map((id) => {
          const open = button(doc, id, { className: 'link' });
          open.addEventListener('click', () => void ctx.openDetail(id));
          return el(doc, 'li', {}, open);
        });
        item.append(
          el(doc, 'p', {
            className: 'warning',
            text: `${flagged.length} ${flagged.length === 1 ? 'capture was' : 'captures were'} imported from bundles signed with this key before you withdrew it; check where each came from before relying on it:`,
          }),
          el(
            doc,
            'ul',
            { className: 'flagged-imports', attrs: { 'aria-label': `Captures imported with ${key.name}'s key` } },
            ...links,
          ),
        );
      }
    } else if (!key.own) {
      const withdraw = button(doc, 'Withdraw trust', {
        attrs: { 'aria-label': `Withdraw trust in ${key.name}'s key` },
      });
      withdraw.addEventListener('click', () => {
        const ok = doc.defaultView?.confirm(
          `Withdraw trust in "${key.name}"'s key? Bundles signed with it will be refused from now on, and captures already imported with it will be flagged.`,
        );
        if (!ok) return;
        void withdrawKey(db, key.fingerprint, ctx.settings().capturedBy)
          .then(async () => {
            await refresh();
            tell(`Trust in "${key.name}"'s key withdrawn.`, 'success');
          })
          .catch((e: unknown) => tell(errorText(e), 'error'));
      });
      item.append(' ', withdraw);
    }
    return item;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void trustKey(db, { fingerprint: fingerprintInput.value, name: nameInput.value }, ctx.settings().capturedBy)
      .then(async (key) => {
        fingerprintInput.value = '';
        nameInput.value = '';
        await refresh();
        tell(`"${key.name}"'s key is trusted: bundles signed with it can be imported.`, 'success');
      })
      .catch((e: unknown) => tell(errorText(e), 'error'));
  });

  void refresh().catch((e: unknown) => tell(`Could not read the trusted keys: ${errorText(e)}`, 'error'));
  return { refresh };
}
