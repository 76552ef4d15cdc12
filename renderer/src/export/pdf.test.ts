// The PDF copy of an act, read back the way a PDF reader does: pdf-lib parses the bytes; the text of every page is
// decoded through the embedded fonts' ToUnicode maps (so Kazakh letters must really be in the embedded DejaVu subset),
// the signature blocks say signer, ИИН/БИН, certificate serial, time and timestamp, and the QR code drawn on the page
// is the QR of the document's ID and digest, module for module.
import { describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFPage, type PDFRef } from 'pdf-lib';
import QRCode from 'qrcode';
import regularFont from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?inline';
import boldFont from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?inline';
import { OPERATIONS } from '../../../contract/ipc';
import { createI18n } from '../i18n';
import { documentPdf, type ExportData } from './pdf';

const fromDataUrl = (u: string): Uint8Array => Uint8Array.from(atob(u.slice(u.indexOf(',') + 1)), (c) => c.charCodeAt(0));
const fonts = async () => ({ regular: fromDataUrl(regularFont), bold: fromDataUrl(boldFont) });

const ACT_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const DIGEST = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';
const KAZAKH = 'әғқңөұүһі';

function exportData(): ExportData {
  const party = (name: string, iinBin: string) => ({ name, iinBin, address: 'Астана қ., Тәуелсіздік даңғылы, 1' });
  const act = {
    id: ACT_ID, version: 3, branchId: null, direction: 'incoming', number: 'В-2612-00042', date: '2026-12-01', counterpartyId: null,
    counterpartyName: 'ЖШС «Көкше Ұлы Дала»', counterpartyIinBin: '220640807173', state: 'signed_by_them', amountWithVat: 1_120_000_00,
    r1: {
      form: 'Р-1', documentNumber: 'В-2612-00042', documentDate: '2026-12-01', customer: party('АО "ТЕСТ"', '123456789021'), performer: party('ЖШС «Көкше Ұлы Дала»', '220640807173'),
      contract: { number: '17/2026', date: '2026-01-10' },
      lines: [{ no: 1, name: 'Кеңсе жиһазын жинау және бағдарламалық қамтамасыз етуді қолдау', performedOn: '2026-11-30', report: '', unit: 'қызмет', quantity: '1', price: 1_000_000_00, amount: 1_000_000_00 }],
      totals: { amount: 1_000_000_00, vatRate: 12, vat: 120_000_00, amountWithVat: 1_120_000_00 }, customerStocks: '', attachments: [],
      handedOver: { position: 'Директор', name: 'Омаров Бауыржан' }, accepted: { position: 'Бірінші басшы', name: 'ТЕСТОВ ТЕСТ' },
    },
    canonical: { format: 'kense-r1+json;v=1', base64: 'e30=', sha256: DIGEST },
    signatures: [], refusal: null, withdrawal: null, createdAt: '2026-12-01T04:00:00Z', updatedAt: '2026-12-02T04:00:00Z',
  };
  const row = {
    kind: 'act', id: ACT_ID, number: act.number, date: act.date, direction: 'incoming', counterpartyName: act.counterpartyName, counterpartyIinBin: act.counterpartyIinBin,
    amount: act.amountWithVat, state: 'signed_by_them', localState: 'signed_locally', deadline: null, awaitingSignature: false, branchId: null,
  };
  const signatures = [
    { side: 'theirs', signerName: 'Омаров Бауыржан', signerIin: null, signerBin: '220640807173', role: 'counterparty', certSerial: '5A1F00C3', signedAt: '2026-12-01T05:10:00Z', timestampAt: '2026-12-01T05:10:02Z', pending: false, cmsSha256: null },
    { side: 'ours', signerName: 'ТЕСТОВ ТЕСТ', signerIin: '123456789011', signerBin: '123456789021', role: 'first_head', certSerial: '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E', signedAt: '2026-12-02T06:30:15Z', timestampAt: null, pending: true, cmsSha256: null },
  ];
  // Checked against the contract, so the fixture is what core really sends.
  return OPERATIONS['documents.exportData'].output.parse({
    detail: {
      ref: { kind: 'act', id: ACT_ID }, data: { kind: 'act', act }, row, signatures, history: [], problem: null,
      canonical: { format: act.canonical.format, sha256: DIGEST, size: 2 }, sign: { allowed: false, reason: null }, refuse: { allowed: false, reason: null },
    },
    qrText: `kense:act:${ACT_ID}:sha256:${DIGEST}`,
    generatedAt: '2026-12-02T07:00:00Z',
  }) as ExportData;
}

/** glyph id (hex) → text, from a font's ToUnicode CMap (bfchar and bfrange). */
function toUnicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const u16 = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(m[1].toUpperCase(), u16(m[2]));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [lo, hi, dst] = [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
      for (let g = lo; g <= hi; g++) map.set(g.toString(16).toUpperCase().padStart(m[1].length, '0'), String.fromCodePoint(dst + g - lo));
    }
  }
  return map;
}

function streamText(doc: PDFDocument, ref: unknown): string {
  const s = doc.context.lookup(ref as PDFRef);
  if (!(s instanceof PDFRawStream)) throw new Error('not a stream');
  return new TextDecoder('latin1').decode(decodePDFRawStream(s).decode());
}

/** The text of a page as a reader extracts it: each Tj through the ToUnicode map of the font selected by Tf. */
function pageText(doc: PDFDocument, page: PDFPage): string {
  const fontsDict = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
  const maps = new Map<string, Map<string, string>>();
  for (const [name, ref] of fontsDict.entries()) {
    const font = doc.context.lookup(ref, PDFDict);
    maps.set(name.asString(), toUnicodeMap(streamText(doc, font.get(PDFName.of('ToUnicode')))));
  }
  const contents = page.node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))];
  let out = '';
  let current = new Map<string, string>();
  for (const ref of refs) {
    for (const m of streamText(doc, ref).matchAll(/(\/\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (m[1]) current = maps.get(m[1])!;
      else out += `${(m[2].match(/.{4}/g) ?? []).map((g) => current.get(g.toUpperCase()) ?? '\uFFFD').join('')}\n`;
    }
  }
  return out;
}

/** The QR modules drawn on a page: filled squares of one cell size inside the white QR background. */
function drawnQr(doc: PDFDocument, page: PDFPage): boolean[][] {
  const contents = page.node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of('Contents'))];
  // pdf-lib draws a rectangle as a path moved into place: `1 0 0 1 x y cm … 0 0 m 0 h l w h l w 0 l h f`.
  const rect = /1 0 0 1 (-?[\d.]+) (-?[\d.]+) cm\s+(?:1 0 0 1 0 0 cm\s+)*0 0 m\s+0 (-?[\d.]+) l\s+(-?[\d.]+) -?[\d.]+ l/g;
  const rects = refs.flatMap((r) => [...streamText(doc, r).matchAll(rect)].map((m) => [Number(m[1]), Number(m[2]), Number(m[4]), Number(m[3])]));
  const bg = rects.find(([, , w, h]) => w === 110 && h === 110)!;
  const cells = rects.filter(([x, y, w, h]) => w === h && w < 5 && x >= bg[0] && y >= bg[1] && x < bg[0] + 110 && y < bg[1] + 110);
  expect(cells.length).toBeGreaterThan(100);
  const cell = cells[0][2];
  const n = Math.round(110 / cell) - 8;
  const grid = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  for (const [x, y] of cells) grid[Math.round((bg[1] + 110 - y) / cell) - 5][Math.round((x - bg[0]) / cell) - 4] = true;
  return grid;
}

describe('documentPdf', () => {
  it('writes a PDF that parses, in Kazakh with the embedded font, with signature blocks and the QR of the ID and digest', async () => {
    const i18n = createI18n('kk');
    const data = exportData();
    const bytes = await documentPdf(data, i18n.t.bind(i18n) as never, fonts);

    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getSubject()).toBe(`act:${ACT_ID} sha256:${DIGEST}`);
    const text = doc.getPages().map((p) => pageText(doc, p)).join('\n');
    expect(text).not.toContain('\uFFFD');

    // Kazakh: every letter of the alphabet's own set, written by the embedded DejaVu subset and read back.
    const embedded = doc.getPages().flatMap((p) => [...p.node.Resources()!.lookup(PDFName.of('Font'), PDFDict).values()]).map((r) => doc.context.lookup(r, PDFDict));
    expect(embedded.map((f) => f.get(PDFName.of('BaseFont'))!.toString())).toEqual(expect.arrayContaining([expect.stringMatching(/^\/DejaVuSans-\d+$/), expect.stringMatching(/^\/DejaVuSans-Bold-\d+$/)]));
    for (const ch of KAZAKH) expect(text, `letter ${ch}`).toContain(ch);
    expect(text).toContain('ЖШС «Көкше Ұлы Дала»');
    expect(text).toContain(i18n.t('r1.title'));

    // One block per signature: signer, ИИН/БИН, role, certificate serial, time, timestamp (or why none yet).
    expect(text.split(i18n.t('pdf.signatureBlock')).length - 1).toBe(2);
    expect(text).toContain(`${i18n.t('pdf.signatureBlock')} — ТЕСТОВ ТЕСТ`);
    expect(text).toContain(`${i18n.t('pdf.iinBin')}: 123456789011 / 123456789021 · ${i18n.t('detail.sigRole.first_head')}`);
    expect(text).toContain(`${i18n.t('pdf.serial')}: 303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E`);
    expect(text).toContain(`${i18n.t('pdf.time')}: 02.12.2026 11:30:15`);
    expect(text).toContain(`${i18n.t('pdf.timestamp')}: ${i18n.t('pdf.pendingSync')}`);
    expect(text).toContain(`${i18n.t('pdf.signatureBlock')} — Омаров Бауыржан`);
    expect(text).toContain(`${i18n.t('pdf.timestamp')}: 01.12.2026 10:10:02`);

    // The QR on the page is exactly the QR of "kense:act:<id>:sha256:<digest>", and the two are printed beside it.
    const last = doc.getPages()[doc.getPageCount() - 1];
    const qr = QRCode.create(data.qrText, { errorCorrectionLevel: 'M' });
    const want = Array.from({ length: qr.modules.size }, (_, r) => Array.from({ length: qr.modules.size }, (_, c) => !!qr.modules.get(r, c)));
    expect(drawnQr(doc, last)).toEqual(want);
    expect(data.qrText).toBe(`kense:act:${ACT_ID}:sha256:${DIGEST}`);
    expect(text).toContain(ACT_ID);
    expect(text).toContain(DIGEST);
  });
});
