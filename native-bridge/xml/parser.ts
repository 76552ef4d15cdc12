// A small, strict XML 1.0 + Namespaces parser for documents we sign or verify. Safe by construction:
// any DOCTYPE or ENTITY declaration is refused before parsing (no DTD, so no external entities and no
// entity expansion), only the five predefined entities and character references exist, and input size,
// nesting depth, node and attribute counts are bounded. It keeps what canonicalization needs (namespace
// declarations as written, attribute order irrelevant, CDATA as text) and the source offsets of every
// element so a signature can be inserted into the original text.
import { KenseError } from '../../contract/errors';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface XmlLimits {
  /** UTF-8 size of the document. Default 20 MiB. */
  maxBytes?: number;
  maxDepth?: number;
  maxNodes?: number;
  maxAttributes?: number;
}

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 256,
  maxNodes: 2_000_000,
  maxAttributes: 1024,
};

export interface XmlAttr {
  /** Qualified name as written. */
  name: string;
  prefix: string | null;
  local: string;
  /** Namespace URI (unprefixed attributes have none). */
  ns: string | null;
  value: string;
}

export interface XmlNsDecl {
  /** '' for the default namespace. */
  prefix: string;
  uri: string;
}

export interface XmlElement {
  type: 'element';
  name: string;
  prefix: string | null;
  local: string;
  ns: string | null;
  attrs: XmlAttr[];
  nsDecls: XmlNsDecl[];
  children: XmlNode[];
  parent: XmlElement | null;
  /** Offsets in `XmlDocument.source`: '<' of the start tag, end of the start tag, start of the end tag ('</' or '/>'). */
  start: number;
  startTagEnd: number;
  endTagStart: number;
  selfClosing: boolean;
}

export interface XmlText {
  type: 'text';
  value: string;
}
export interface XmlComment {
  type: 'comment';
  value: string;
}
export interface XmlPi {
  type: 'pi';
  target: string;
  data: string;
}
export type XmlNode = XmlElement | XmlText | XmlComment | XmlPi;

export interface XmlDocument {
  /** The text that was parsed, after line-end normalisation (offsets refer to it). */
  source: string;
  /** Top-level nodes: comments and PIs around the one root element. */
  children: (XmlElement | XmlComment | XmlPi)[];
  root: XmlElement;
}

const unsafe = (reason: string, extra: Record<string, unknown> = {}) => new KenseError('XML_UNSAFE', { reason, ...extra });

class Malformed extends Error {
  constructor(
    readonly why: string,
    readonly pos: number,
  ) {
    super(why);
  }
}

const NAME_START = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF]/;
const NAME_CHAR = /[-.0-9\u00B7\u0300-\u036F\u203F-\u2040A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]/;
// Characters XML 1.0 forbids anywhere (C0 controls except tab/LF/CR, lone surrogates are checked separately, U+FFFE/FFFF).
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function isWs(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r';
}

function validCodePoint(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes bytes as UTF-8 (strict). Other encodings are refused: НУЦ and kense documents are UTF-8. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KenseError('XML_MALFORMED', { reason: 'not valid UTF-8' });
  }
  const decl = text.replace(/^\uFEFF/, '').match(/^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/);
  if (decl && !/^utf-?8$/i.test(decl[1])) throw new KenseError('XML_MALFORMED', { reason: `unsupported encoding ${decl[1].slice(0, 40)}` });
  return text;
}

/** Refuses what could expand or fetch anything — before a single node is built. */
export function assertSafeXmlText(text: string, limits: XmlLimits = {}): void {
  const max = limits.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  // String length is a lower bound of the UTF-8 size; compute the exact size only when it matters.
  if (text.length > max || (text.length * 3 > max && Buffer.byteLength(text, 'utf8') > max)) throw unsafe('too large', { maxBytes: max });
  if (text.includes('<!DOCTYPE')) throw unsafe('DOCTYPE declaration');
  if (text.includes('<!ENTITY')) throw unsafe('ENTITY declaration');
  if (text.includes('<!ELEMENT') || text.includes('<!ATTLIST') || text.includes('<!NOTATION')) throw unsafe('DTD declaration');
}

export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): XmlDocument {
  const lim = { ...DEFAULT_XML_LIMITS, ...limits };
  if (typeof input !== 'string' && input.length > lim.maxBytes) throw unsafe('too large', { maxBytes: lim.maxBytes });
  const raw = typeof input === 'string' ? input : decodeXmlBytes(input);
  assertSafeXmlText(raw, lim);
  // XML 2.11: CRLF and lone CR become LF before parsing.
  const src = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  try {
    return new Parser(src, lim).parse();
  } catch (e) {
    if (e instanceof Malformed) {
      const before = src.slice(0, e.pos);
      const line = before.split('\n').length;
      const column = e.pos - before.lastIndexOf('\n');
      throw new KenseError('XML_MALFORMED', { reason: e.why, line, column });
    }
    throw e;
  }
}

class Parser {
  private pos = 0;
  private nodes = 0;

  constructor(
    private readonly s: string,
    private readonly lim: Required<XmlLimits>,
  ) {}

  private fail(why: string, pos = this.pos): never {
    throw new Malformed(why, pos);
  }

  private startsWith(t: string): boolean {
    return this.s.startsWith(t, this.pos);
  }

  private skipWs(): boolean {
    const p = this.pos;
    while (this.pos < this.s.length && isWs(this.s[this.pos])) this.pos++;
    return this.pos > p;
  }

  private readName(): string {
    const s = this.s;
    const p = this.pos;
    if (p >= s.length || !NAME_START.test(s[p])) this.fail('expected a name');
    let q = p + 1;
    while (q < s.length && NAME_CHAR.test(s[q])) q++;
    if (q - p > 1000) this.fail('name too long', p);
    this.pos = q;
    return s.slice(p, q);
  }

  private countNode(): void {
    if (++this.nodes > this.lim.maxNodes) throw unsafe('too many nodes', { maxNodes: this.lim.maxNodes });
  }

  private checkChars(text: string, at: number): void {
    const m = FORBIDDEN_CHAR.exec(text);
    if (m) this.fail(`forbidden character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`, at + m.index);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) this.fail('lone surrogate', at + i);
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) this.fail('lone surrogate', at + i);
    }
  }

  /** Resolves the predefined entities and character references; `attr` applies attribute-value normalisation. */
  private unescape(text: string, at: number, attr: boolean): string {
    this.checkChars(text, at);
    if (attr) text = text.replace(/[\t\n]/g, ' ');
    if (!text.includes('&')) return text;
    return text.replace(/&([^;&]{0,12});?/g, (whole, body: string, off: number) => {
      if (!whole.endsWith(';')) this.fail('bare & (escape it as &amp;)', at + off);
      switch (body) {
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'amp':
          return '&';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      let cp = NaN;
      if (/^#x[0-9a-fA-F]{1,6}$/.test(body)) cp = parseInt(body.slice(2), 16);
      else if (/^#[0-9]{1,7}$/.test(body)) cp = parseInt(body.slice(1), 10);
      else throw unsafe('entity reference without a declaration', { entity: body.slice(0, 12) });
      if (!validCodePoint(cp)) this.fail('character reference to a forbidden character', at + off);
      return String.fromCodePoint(cp);
    });
  }

  parse(): XmlDocument {
    const s = this.s;
    const children: XmlDocument['children'] = [];
    let root: XmlElement | undefined;
    if (this.startsWith('<?xml') && (isWs(s[5] ?? '') || s[5] === '?')) {
      const end = s.indexOf('?>', this.pos);
      if (end < 0) this.fail('unterminated XML declaration');
      const decl = s.slice(5, end);
      if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(decl)) {
        this.fail('bad XML declaration');
      }
      this.pos = end + 2;
    }
    for (;;) {
      this.skipWs();
      if (this.pos >= s.length) break;
      if (this.startsWith('<!--')) children.push(this.comment());
      else if (this.startsWith('<?')) children.push(this.pi());
      else if (this.startsWith('<!')) this.fail('declarations are not allowed');
      else if (s[this.pos] === '<') {
        if (root) this.fail('more than one root element');
        root = this.element();
        children.push(root);
      } else this.fail('text outside the root element');
    }
    if (!root) this.fail('no root element');
    return { source: s, children, root };
  }

  private comment(): XmlComment {
    this.countNode();
    const start = this.pos + 4;
    const end = this.s.indexOf('-->', start);
    if (end < 0) this.fail('unterminated comment');
    const value = this.s.slice(start, end);
    if (value.includes('--') || value.endsWith('-')) this.fail('"--" inside a comment', start);
    this.checkChars(value, start);
    this.pos = end + 3;
    return { type: 'comment', value };
  }

  private pi(): XmlPi {
    this.countNode();
    this.pos += 2;
    const target = this.readName();
    if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start');
    if (target.includes(':')) this.fail('colon in a processing instruction target');
    const end = this.s.indexOf('?>', this.pos);
    if (end < 0) this.fail('unterminated processing instruction');
    if (this.pos < end && !isWs(this.s[this.pos])) this.fail('expected whitespace after the PI target');
    const data = this.s.slice(this.pos, end).replace(/^[ \n\t]+/, '');
    this.checkChars(data, this.pos);
    this.pos = end + 2;
    return { type: 'pi', target, data };
  }

  private element(): XmlElement {
    const s = this.s;
    // Explicit stack instead of recursion: depth is bounded by a limit, not by the JS stack.
    const stack: { el: XmlElement; scope: Map<string, string> }[] = [];
    const rootScope = new Map<string, string>([['xml', XML_NS]]);
    let root: XmlElement | undefined;
    for (;;) {
      const parentEntry = stack[stack.length - 1];
      if (s[this.pos] === '<' && s[this.pos + 1] !== '/' && s[this.pos + 1] !== '!' && s[this.pos + 1] !== '?') {
        const { el, scope, empty } = this.startTag(parentEntry?.el ?? null, parentEntry?.scope ?? rootScope);
        if (parentEntry) parentEntry.el.children.push(el);
        else root = el;
        if (!empty) {
          if (stack.length + 1 > this.lim.maxDepth) throw unsafe('nesting too deep', { maxDepth: this.lim.maxDepth });
          stack.push({ el, scope });
        } else if (!parentEntry) return el;
      } else if (!parentEntry) {
        this.fail('expected an element');
      } else if (this.startsWith('</')) {
        const el = parentEntry.el;
        el.endTagStart = this.pos;
        this.pos += 2;
        const name = this.readName();
        if (name !== el.name) this.fail(`end tag </${name}> does not match <${el.name}>`);
        this.skipWs();
        if (s[this.pos] !== '>') this.fail('expected >');
        this.pos++;
        stack.pop();
        if (stack.length === 0) return root as XmlElement;
      } else if (this.startsWith('<!--')) parentEntry.el.children.push(this.comment());
      else if (this.startsWith('<![CDATA[')) {
        const start = this.pos + 9;
        const end = s.indexOf(']]>', start);
        if (end < 0) this.fail('unterminated CDATA section');
        const value = s.slice(start, end);
        this.checkChars(value, start);
        this.pushText(parentEntry.el, value);
        this.pos = end + 3;
      } else if (this.startsWith('<?')) parentEntry.el.children.push(this.pi());
      else if (this.startsWith('<!')) this.fail('declarations are not allowed here');
      else if (this.pos >= s.length) this.fail(`unclosed element <${parentEntry.el.name}>`);
      else {
        const start = this.pos;
        let end = s.indexOf('<', start);
        if (end < 0) end = s.length;
        const rawText = s.slice(start, end);
        const bad = rawText.indexOf(']]>');
        if (bad >= 0) this.fail('"]]>" in text', start + bad);
        this.pushText(parentEntry.el, this.unescape(rawText, start, false));
        this.pos = end;
      }
    }
  }

  private pushText(el: XmlElement, value: string): void {
    if (value === '') return;
    const last = el.children[el.children.length - 1];
    if (last && last.type === 'text') last.value += value;
    else {
      this.countNode();
      el.children.push({ type: 'text', value });
    }
  }

  private startTag(parent: XmlElement | null, parentScope: Map<string, string>): { el: XmlElement; scope: Map<string, string>; empty: boolean } {
    this.countNode();
    const s = this.s;
    const start = this.pos;
    this.pos++;
    const name = this.readName();
    const rawAttrs: { name: string; value: string; pos: number }[] = [];
    let empty = false;
    for (;;) {
      const hadWs = this.skipWs();
      if (this.pos >= s.length) this.fail(`unterminated start tag <${name}>`);
      if (s[this.pos] === '>') {
        this.pos++;
        break;
      }
      if (this.startsWith('/>')) {
        this.pos += 2;
        empty = true;
        break;
      }
      if (!hadWs) this.fail('expected whitespace between attributes');
      const apos = this.pos;
      const an = this.readName();
      this.skipWs();
      if (s[this.pos] !== '=') this.fail('expected = after the attribute name');
      this.pos++;
      this.skipWs();
      const q = s[this.pos];
      if (q !== '"' && q !== "'") this.fail('attribute value must be quoted');
      const vend = s.indexOf(q, this.pos + 1);
      if (vend < 0) this.fail('unterminated attribute value');
      const rawValue = s.slice(this.pos + 1, vend);
      if (rawValue.includes('<')) this.fail('"<" in an attribute value', this.pos + 1 + rawValue.indexOf('<'));
      const value = this.unescape(rawValue, this.pos + 1, true);
      this.pos = vend + 1;
      if (rawAttrs.some((a) => a.name === an)) this.fail(`duplicate attribute ${an}`, apos);
      rawAttrs.push({ name: an, value, pos: apos });
      if (rawAttrs.length > this.lim.maxAttributes) throw unsafe('too many attributes', { maxAttributes: this.lim.maxAttributes });
    }
    // Namespaces declared here, then the element and attribute names resolved against the new scope.
    const nsDecls: XmlNsDecl[] = [];
    let scope = parentScope;
    for (const a of rawAttrs) {
      let prefix: string | undefined;
      if (a.name === 'xmlns') prefix = '';
      else if (a.name.startsWith('xmlns:')) prefix = a.name.slice(6);
      if (prefix === undefined) continue;
      if (prefix === 'xmlns') this.fail('the xmlns prefix cannot be declared', a.pos);
      if (prefix === 'xml' && a.value !== XML_NS) this.fail('the xml prefix is bound to its own namespace', a.pos);
      if (prefix !== 'xml' && a.value === XML_NS) this.fail('the XML namespace cannot be bound to another prefix', a.pos);
      if (a.value === XMLNS_NS) this.fail('the xmlns namespace cannot be declared', a.pos);
      if (prefix !== '' && a.value === '') this.fail('a prefix cannot be undeclared in XML 1.0', a.pos);
      if (prefix !== '' && (prefix.includes(':') || !NAME_START.test(prefix[0]))) this.fail('bad namespace prefix', a.pos);
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(prefix, a.value);
      nsDecls.push({ prefix, uri: a.value });
    }
    const split = (qn: string, pos: number): { prefix: string | null; local: string } => {
      const i = qn.indexOf(':');
      if (i < 0) return { prefix: null, local: qn };
      const prefix = qn.slice(0, i);
      const local = qn.slice(i + 1);
      if (!prefix || !local || local.includes(':')) this.fail(`bad qualified name ${qn}`, pos);
      return { prefix, local };
    };
    const en = split(name, start + 1);
    let ns: string | null;
    if (en.prefix === null) ns = scope.get('') || null;
    else {
      const u = scope.get(en.prefix);
      if (u === undefined) this.fail(`undeclared prefix ${en.prefix}`, start + 1);
      ns = u;
    }
    if (en.prefix === 'xmlns') this.fail('element names cannot use the xmlns prefix', start + 1);
    const attrs: XmlAttr[] = [];
    const seen = new Set<string>();
    for (const a of rawAttrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const an = split(a.name, a.pos);
      let ans: string | null = null;
      if (an.prefix !== null) {
        const u = scope.get(an.prefix);
        if (u === undefined) this.fail(`undeclared prefix ${an.prefix}`, a.pos);
        ans = u;
      }
      const key = `${ans ?? ''}\u0000${an.local}`;
      if (seen.has(key)) this.fail(`duplicate attribute {${ans}}${an.local}`, a.pos);
      seen.add(key);
      attrs.push({ name: a.name, prefix: an.prefix, local: an.local, ns: ans, value: a.value });
    }
    const el: XmlElement = {
      type: 'element',
      name,
      prefix: en.prefix,
      local: en.local,
      ns,
      attrs,
      nsDecls,
      children: [],
      parent,
      start,
      startTagEnd: this.pos,
      endTagStart: empty ? this.pos - 2 : -1,
      selfClosing: empty,
    };
    return { el, scope, empty };
  }
}

// ---------- small helpers for readers of the tree ----------

export function childElements(el: XmlElement, ns?: string, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.type === 'element' && (ns === undefined || c.ns === ns) && (local === undefined || c.local === local)) out.push(c);
  }
  return out;
}

export function textContent(el: XmlElement): string {
  let s = '';
  for (const c of el.children) {
    if (c.type === 'text') s += c.value;
    else if (c.type === 'element') s += textContent(c);
  }
  return s;
}

export function attrValue(el: XmlElement, local: string, ns: string | null = null): string | undefined {
  return el.attrs.find((a) => a.local === local && a.ns === ns)?.value;
}

/** Namespace bindings in scope at `el` (prefix → URI, '' = default), as declared by it and its ancestors. */
export function inScopeNamespaces(el: XmlElement): Map<string, string> {
  const chain: XmlElement[] = [];
  for (let e: XmlElement | null = el; e; e = e.parent) chain.push(e);
  const scope = new Map<string, string>();
  for (let i = chain.length - 1; i >= 0; i--) for (const d of chain[i].nsDecls) scope.set(d.prefix, d.uri);
  return scope;
}
