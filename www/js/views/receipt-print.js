// The ticket on screen, printed as a receipt on the facility's paper (model/receipt.js). From
// just before the browser prints until just after, <html data-receipt> lays the ticket out as
// a receipt (kiosk.css), and a sheet of this module's own gives it the paper's width and, on a
// roll, a page as tall as the receipt measures. All of it happens in `beforeprint`, so the
// button, automatic printing, Ctrl+P and a PDF of the page print the same receipt.
//
// The sheet is a constructed one in document.adoptedStyleSheets: the page's CSP refuses
// <style> and style attributes, not the CSSOM.
import { paperOf, receiptCss } from '../model/receipt.js';

/**
 * @param win       the window
 * @param ticket    the ticket's element (#ticket): printed as a receipt while it is on screen;
 *                  otherwise the page prints as it is
 * @param printing  () => the facility's printing settings now (`{ paper, auto }`), read at each print
 * @param addNotice (key, params) => a staff notice
 * Returns { print() }.
 */
export function mountReceiptPrint({ win, ticket, printing, addNotice }) {
  const doc = win.document;
  const root = doc.documentElement;
  const sheet = new win.CSSStyleSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  const failed = (error) => addNotice('notice.print-failed', { problem: error?.message ?? String(error) });

  win.addEventListener('beforeprint', () => {
    if (ticket.getClientRects().length === 0) return; // no ticket on screen: nothing to lay out
    try {
      const paper = paperOf(printing());
      root.dataset.receipt = paper.name;
      sheet.replaceSync(receiptCss(paper));
      // Measured in the receipt's own layout and width: reading the size lays it out now.
      sheet.replaceSync(receiptCss(paper, ticket.getBoundingClientRect().height));
    } catch (error) {
      failed(error); // the browser prints the page as it is, the ticket with it
    }
  });
  win.addEventListener('afterprint', () => {
    delete root.dataset.receipt;
    sheet.replaceSync('');
  });

  return {
    /**
     * Prints the ticket. Never throws and returns no promise: a printer that is missing or out
     * of paper can hold nothing up, and the ticket stays on screen whatever happens. (With
     * --kiosk-printing, print() returns at once without a dialog; what the printer then does,
     * the page is not told.)
     */
    print() {
      try {
        win.print();
      } catch (error) {
        failed(error);
      }
    },
  };
}
