// Canonical XML 1.0 (inclusive, W3C REC-xml-c14n-20010315), with or without comments, over the tree
// of parser.ts. Covers the two node-sets XMLDSig needs: a whole document with one subtree left out
// (the enveloped-signature transform) and an element subtree as apex (SignedInfo), where the apex
// carries every namespace in scope and the xml:* attributes inherited from its ancestors.
import { XML_NS, inScopeNamespaces, type XmlAttr, type XmlDocument, type XmlElement, type XmlNode } from './parser';

export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';

export interface C14nOptions {
  withComments?: boolean;
  /** A subtree left out of the output (the Signature element of an enveloped signature). */
  exclude?: XmlElement;
}

// C14N §1.1/§2.3: the characters replaced by references in text nodes and in attribute values.
const TEXT_REFS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_REFS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<"\t\n\r]/g;

const escapeText = (s: string): string => s.replace(TEXT_SPECIAL, (c) => TEXT_REFS[c]);
const escapeAttr = (s: string): string => s.replace(ATTR_SPECIAL, (c) => ATTR_REFS[c]);

/** Code-point order, as C14N requires (JS string comparison is UTF-16 order, which differs above U+FFFF). */
function cmpCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = (x.value as string).codePointAt(0) as number;
    const cy = (y.value as string).codePointAt(0) as number;
    if (cx !== cy) return cx - cy;
  }
}

function compareAttrs(a: XmlAttr, b: XmlAttr): number {
  // Unqualified attributes (no namespace) first; then by namespace URI, then local name.
  const na = a.ns ?? '';
  const nb = b.ns ?? '';
  return cmpCodePoints(na, nb) || cmpCodePoints(a.local, b.local);
}

function pi(target: string, data: string): string {
  return data ? `<?${target} ${data}?>` : `<?${target}?>`;
}

class Writer {
  out: string[] = [];
  constructor(private readonly o: C14nOptions) {}

  /**
   * `rendered`: namespace bindings in effect in the output at the parent (prefix → URI; '' → default).
   * `scope`: bindings in scope in the input at the parent.
   */
  element(el: XmlElement, rendered: Map<string, string>, scope: Map<string, string>, extraAttrs: XmlAttr[] = []): void {
    // Iterative walk: nesting depth is bounded by the parser, but keep the JS stack flat anyway.
    type Frame = { el: XmlElement; rendered: Map<string, string>; scope: Map<string, string>; i: number };
    const stack: Frame[] = [];
    const open = (e: XmlElement, parentRendered: Map<string, string>, parentScope: Map<string, string>, extra: XmlAttr[]) => {
      let scopeHere = parentScope;
      if (e.nsDecls.length) {
        scopeHere = new Map(parentScope);
        for (const d of e.nsDecls) scopeHere.set(d.prefix, d.uri);
      }
      // Namespace nodes of the element = everything in scope; output those the parent's output lacks.
      const nsOut: [string, string][] = [];
      let renderedHere = parentRendered;
      for (const [prefix, uri] of scopeHere) {
        if (prefix === 'xml') continue;
        const have = parentRendered.get(prefix);
        if (prefix === '') {
          // xmlns="" only when the output parent has a non-empty default namespace.
          if (uri === '' ? have !== undefined && have !== '' : have !== uri) nsOut.push(['', uri]);
        } else if (have !== uri) nsOut.push([prefix, uri]);
      }
      if (nsOut.length) {
        renderedHere = new Map(parentRendered);
        for (const [p, u] of nsOut) renderedHere.set(p, u);
      }
      nsOut.sort((a, b) => cmpCodePoints(a[0], b[0]));
      const attrs = extra.length ? [...e.attrs, ...extra.filter((x) => !e.attrs.some((a) => a.ns === x.ns && a.local === x.local))] : e.attrs;
      const sorted = [...attrs].sort(compareAttrs);
      let s = `<${e.name}`;
      for (const [p, u] of nsOut) s += p === '' ? ` xmlns="${escapeAttr(u)}"` : ` xmlns:${p}="${escapeAttr(u)}"`;
      for (const a of sorted) s += ` ${a.name}="${escapeAttr(a.value)}"`;
      this.out.push(`${s}>`);
      stack.push({ el: e, rendered: renderedHere, scope: scopeHere, i: 0 });
    };
    open(el, rendered, scope, extraAttrs);
    while (stack.length) {
      const f = stack[stack.length - 1];
      if (f.i >= f.el.children.length) {
        this.out.push(`</${f.el.name}>`);
        stack.pop();
        continue;
      }
      const c: XmlNode = f.el.children[f.i++];
      if (c.type === 'element') {
        if (c !== this.o.exclude) open(c, f.rendered, f.scope, []);
      } else if (c.type === 'text') this.out.push(escapeText(c.value));
      else if (c.type === 'comment') {
        if (this.o.withComments) this.out.push(`<!--${c.value}-->`);
      } else this.out.push(pi(c.target, c.data));
    }
  }
}

/** The canonical form of a whole document (optionally without one subtree). */
export function canonicalizeDocument(doc: XmlDocument, options: C14nOptions = {}): string {
  const w = new Writer(options);
  const parts: string[] = [];
  let beforeRoot = true;
  for (const n of doc.children) {
    if (n.type === 'element') {
      if (n === options.exclude) continue;
      w.out = [];
      w.element(n, new Map(), new Map([['xml', XML_NS]]));
      parts.push(w.out.join(''));
      beforeRoot = false;
      continue;
    }
    if (n.type === 'comment' && !options.withComments) continue;
    const text = n.type === 'comment' ? `<!--${n.value}-->` : pi(n.target, n.data);
    // Nodes before the document element are followed by #xA, nodes after it are preceded by #xA.
    parts.push(beforeRoot ? `${text}\n` : `\n${text}`);
  }
  return parts.join('');
}

/** The canonical form of the subtree rooted at `el` as a document subset (apex element). */
export function canonicalizeSubtree(el: XmlElement, options: C14nOptions = {}): string {
  const parentScope = el.parent ? inScopeNamespaces(el.parent) : new Map<string, string>();
  parentScope.set('xml', XML_NS);
  // C14N 1.0 §2.4: xml:* attributes of ancestors are inherited by an apex that lacks them.
  const inherited: XmlAttr[] = [];
  for (let a = el.parent; a; a = a.parent) {
    for (const at of a.attrs) {
      if (at.ns === XML_NS && !inherited.some((x) => x.local === at.local)) inherited.push(at);
    }
  }
  const w = new Writer(options);
  w.element(el, new Map(), parentScope, inherited);
  return w.out.join('');
}
