// Building DOM for the views: elements, text through textContent only (never innerHTML), so
// nothing from config or storage can inject markup and the CSP needs no 'unsafe-inline'.

/** `<tag class=… attr=…>text or children</tag>`. */
export function el(tag, { className, text, attrs = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Sets text only when it differs, so a live region does not announce the same words again. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
