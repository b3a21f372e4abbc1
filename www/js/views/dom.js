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

/** Gives `node` a department's colour, and black or white text, whichever reads better on it.
 * CSSOM custom properties, not a style attribute: allowed by the CSP. */
export function paint(node, colour, textColour) {
  node.style.setProperty('--dept-colour', colour);
  node.style.setProperty('--dept-text', textColour);
}

/**
 * A view's fixed texts, each a key of the language files: set now, and again by `apply()`
 * after the language changed. Dynamic texts are set by the view's render instead.
 */
export function boundTexts(i18n) {
  const bound = [];
  const set = ([node, attr, key, params]) => {
    const text = i18n.t(key, typeof params === 'function' ? params() : params);
    if (attr === null) setText(node, text);
    else node.setAttribute(attr, text);
  };
  return {
    /** `node`'s text is `key` (params may be a function, read at each apply). */
    text(node, key, params) {
      const entry = [node, null, key, params];
      bound.push(entry);
      set(entry);
      return node;
    },
    /** `node`'s attribute `attr` is `key`. */
    attr(node, attr, key, params) {
      const entry = [node, attr, key, params];
      bound.push(entry);
      set(entry);
      return node;
    },
    apply() {
      for (const entry of bound) set(entry);
    },
  };
}
