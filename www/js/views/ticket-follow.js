// The ticket's QR code, with a facility hub whose settings offer following (follow/follow-config.js):
// a customer's phone opens the follow page at the address it holds (follow/address.js) and
// follows this ticket live, with no install and no sign-in. Shown on screen and printed on the
// receipt (kiosk.css). main.js imports it only for such a facility, after the first screen: the
// code's encoder is needed neither to start nor in one browser.
import { followAddress } from '../follow/address.js';
import { qrSvg } from '../follow/qr.js';

export { followConfigOf } from '../follow/follow-config.js';

/**
 * @param slot     the ticket's code element (#ticket-qr)
 * @param caption  the text under it (#ticket-follow)
 * @param base     the site phones open (the configured follow page, or this page's address)
 * @param i18n     the window's PageLanguage: the caption's words, the page's language
 * @param addNotice (key, params) => a staff notice
 * Returns { show({ department, number, taken }), hide() }.
 */
export function mountTicketFollow({ slot, caption, base, i18n, addNotice }) {
  const hide = () => {
    slot.hidden = true;
    caption.hidden = true;
    slot.replaceChildren();
  };
  return {
    hide,
    /** The code of this ticket, in the language the customer reads the ticket in. */
    show({ department, number, taken }) {
      hide();
      let code;
      try {
        code = qrSvg(slot.ownerDocument, followAddress({ base, department, number, taken, language: i18n.code }));
      } catch (error) {
        // A ticket without its code beats no ticket: staff learn why phones cannot follow it
        // (a record that does not know when the ticket was taken, a follow page's address
        // that cannot be one).
        addNotice('notice.follow-failed', { problem: error.message });
        return;
      }
      code.setAttribute('role', 'img');
      code.setAttribute('aria-label', i18n.t('ticket.follow-code'));
      slot.append(code);
      caption.textContent = i18n.t('ticket.follow');
      slot.hidden = false;
      caption.hidden = false;
    },
  };
}
