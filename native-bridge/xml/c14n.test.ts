// Canonical XML 1.0: the examples of the W3C recommendation (§3.1–3.4, 3.6; DTD-free variants, since
// our parser refuses DTDs), apex subsets with inherited namespaces, and the parser's safety limits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKenseError } from '../../contract/errors';
import { canonicalizeDocument, canonicalizeSubtree } from './c14n';
import { childElements, parseXml } from './parser';

const c14n = (xml: string, withComments = false) => canonicalizeDocument(parseXml(xml), { withComments });

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return isKenseError(e) ? `${e.code}:${String(e.details?.reason)}` : `untyped:${String(e)}`;
  }
}

describe('C14N 1.0 recommendation examples', () => {
  it('3.1 PIs, comments and content outside the document element', () => {
    const input = `<?xml version="1.0"?>\n\n<?xml-stylesheet   href="doc.xsl"\n   type="text/xsl"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->\n`;
    expect(c14n(input)).toBe(`<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>`);
    expect(c14n(input, true)).toBe(
      `<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->`,
    );
  });

  it('3.2 whitespace in document content is kept', () => {
    const input = `<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>`;
    expect(c14n(input)).toBe(input);
  });

  it('3.3 start and end tags, namespace and attribute order, superfluous declarations', () => {
    const input = `<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>`;
    expect(c14n(input)).toBe(`<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>`);
  });

  it('3.4 character modifications and character references', () => {
    const input = `<doc>
   <text>First line&#x0d;&#10;Second line</text>
   <value>&#x32;</value>
   <compute><![CDATA[value>"0" && value<"10" ?"valid":"error"]]></compute>
   <compute expr='value>"0" &amp;&amp; value&lt;"10" ?"valid":"error"'>valid</compute>
   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>
   <normNames attr='   A   &#x20;&#13;&#xa;&#9;   B   '/>
</doc>`;
    expect(c14n(input)).toBe(`<doc>
   <text>First line&#xD;
Second line</text>
   <value>2</value>
   <compute>value&gt;"0" &amp;&amp; value&lt;"10" ?"valid":"error"</compute>
   <compute expr="value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;">valid</compute>
   <norm attr=" '    &#xD;&#xA;&#x9;   ' "></norm>
   <normNames attr="   A    &#xD;&#xA;&#x9;   B   "></normNames>
</doc>`);
  });

  it('3.6 UTF-8 output; CRLF read as LF; literal tabs/newlines in attributes become spaces', () => {
    expect(c14n('<doc>&#169;</doc>')).toBe('<doc>©</doc>');
    expect(c14n('<doc a="x\ty\r\nz">1\r\n2\r3</doc>')).toBe('<doc a="x y z">1\n2\n3</doc>');
    expect(c14n('<?xml version="1.0" encoding="UTF-8"?>\r\n<акт номер="1">Қазақстан</акт>')).toBe('<акт номер="1">Қазақстан</акт>');
  });
});

describe('apex subsets (SignedInfo) and exclusions (enveloped signature)', () => {
  const doc = parseXml(
    '<root xmlns="urn:r" xmlns:x="urn:x" xml:lang="kk"><p:SignedInfo xmlns:p="urn:p" Id="s"><p:b x:y="1"/></p:SignedInfo><tail/></root>',
  );
  const si = childElements(doc.root)[0];

  it('apex carries every namespace in scope and inherited xml:* attributes', () => {
    expect(canonicalizeSubtree(si)).toBe('<p:SignedInfo xmlns="urn:r" xmlns:p="urn:p" xmlns:x="urn:x" Id="s" xml:lang="kk"><p:b x:y="1"></p:b></p:SignedInfo>');
  });

  it('a subtree is left out of the document, nothing else changes', () => {
    expect(canonicalizeDocument(doc, { exclude: si })).toBe('<root xmlns="urn:r" xmlns:x="urn:x" xml:lang="kk"><tail></tail></root>');
  });
});

describe('parser safety', () => {
  it.each([
    ['XXE', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', 'XML_UNSAFE:DOCTYPE declaration'],
    [
      'billion laughs',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol1;</lolz>',
      'XML_UNSAFE:DOCTYPE declaration',
    ],
    ['external DTD', '<!DOCTYPE r SYSTEM "http://example.com/r.dtd"><r/>', 'XML_UNSAFE:DOCTYPE declaration'],
    ['parameter entity', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://x/p.dtd"> %p;]><r/>', 'XML_UNSAFE:DOCTYPE declaration'],
    ['entity without DTD', '<r>&lol;</r>', 'XML_UNSAFE:entity reference without a declaration'],
  ])('%s is refused before parsing', (_n, xml, code) => {
    expect(codeOf(() => parseXml(xml))).toBe(code);
  });

  it('size, depth and attribute limits', () => {
    expect(codeOf(() => parseXml(`<r>${'x'.repeat(2000)}</r>`, { maxBytes: 1000 }))).toBe('XML_UNSAFE:too large');
    expect(codeOf(() => parseXml(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`))).toBe('XML_UNSAFE:nesting too deep');
    const attrs = Array.from({ length: 1100 }, (_, i) => `a${i}="1"`).join(' ');
    expect(codeOf(() => parseXml(`<r ${attrs}/>`))).toBe('XML_UNSAFE:too many attributes');
    expect(codeOf(() => parseXml(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`))).toBe('ok');
  });

  it.each([
    ['<r>', 'unclosed element <r>'],
    ['<r></s>', 'end tag </s> does not match <r>'],
    ['<r a="1" a="2"/>', 'duplicate attribute a'],
    ['<r x:a="1"/>', 'undeclared prefix x'],
    ['<r>&amp</r>', 'bare & (escape it as &amp;)'],
    ['<r>\u0001</r>', 'forbidden character U+0001'],
    ['<r/><s/>', 'more than one root element'],
    ['text<r/>', 'text outside the root element'],
    ['<r a=1/>', 'attribute value must be quoted'],
    ['<r><!-- a -- b --></r>', '"--" inside a comment'],
    ['<r>&#0;</r>', 'character reference to a forbidden character'],
    ['', 'no root element'],
  ])('malformed %j → XML_MALFORMED', (xml, reason) => {
    expect(codeOf(() => parseXml(xml))).toBe(`XML_MALFORMED:${reason}`);
  });

  it('bytes must be UTF-8; a declared non-UTF-8 encoding is refused', () => {
    expect(codeOf(() => parseXml(Uint8Array.from([0x3c, 0x72, 0x3e, 0xff, 0x3c, 0x2f, 0x72, 0x3e])))).toBe('XML_MALFORMED:not valid UTF-8');
    expect(codeOf(() => parseXml(new TextEncoder().encode('<?xml version="1.0" encoding="windows-1251"?><r/>')))).toMatch(/unsupported encoding/);
  });

  it('random text never throws anything but a typed error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', '=', '"', '&', ';', '!', '-', '?', ' ', 'x:', 'xmlns', '[', ']') })), (s) => {
        const r = codeOf(() => parseXml(s));
        expect(r.startsWith('untyped')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
