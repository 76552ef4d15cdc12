// The printed copy of a document as PDF (pdf-lib): form Р-1 for acts (the reconciliation halves or kense's service
// act otherwise), a visual block per signature (signer, ИИН/БИН, certificate serial, time, timestamp) and a QR code
// carrying the document's ID and the digest of the signed bytes. DejaVu Sans is embedded (subset): it has every
// Kazakh letter (ә ғ қ ң ө ұ ү һ і), which the standard PDF fonts do not.
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import QRCode from 'qrcode';
import type { OperationOutput, SignatureView } from '../../../contract/ipc';
import { formatDate, formatDateTime, formatMoney } from '../format/format';

export type ExportData = OperationOutput<'documents.exportData'>;
type T = (key: string, opts?: Record<string, unknown>) => string;

const A4: [number, number] = [595.28, 841.89];
const M = 40;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.4, 0.45, 0.5);
const BLUE = rgb(0.04, 0.24, 0.43);

/** Loads the embedded fonts: in the browser from the built assets, in tests from a given loader. */
export type FontLoader = () => Promise<{ regular: Uint8Array; bold: Uint8Array }>;

const browserFonts: FontLoader = async () => {
  const [{ default: regularUrl }, { default: boldUrl }] = await Promise.all([
    import('dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url'),
    import('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url'),
  ]);
  const get = async (u: string) => new Uint8Array(await (await fetch(u)).arrayBuffer());
  const [regular, bold] = await Promise.all([get(regularUrl), get(boldUrl)]);
  return { regular, bold };
};

class Writer {
  page!: PDFPage;
  y = 0;
  pages: PDFPage[] = [];
  constructor(readonly doc: PDFDocument, readonly font: PDFFont, readonly bold: PDFFont) {
    this.newPage();
  }
  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - M;
  }
  ensure(h: number): void {
    if (this.y - h < M + 20) this.newPage();
  }
  /** Word-wrapped lines of `text` that fit `width` at `size`. */
  wrap(text: string, width: number, size: number, font = this.font): string[] {
    const out: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      for (const word of para.split(/\s+/)) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
        else {
          out.push(line);
          line = word;
        }
        // A single word wider than the box (a long serial) is cut by characters.
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          out.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      out.push(line);
    }
    return out;
  }
  text(text: string, opts: { x?: number; width?: number; size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; align?: 'left' | 'center' | 'right'; gap?: number } = {}): number {
    const size = opts.size ?? 9;
    const font = opts.bold ? this.bold : this.font;
    const x = opts.x ?? M;
    const width = opts.width ?? A4[0] - M - x;
    const lines = this.wrap(text, width, size, font);
    const lh = size * 1.3;
    this.ensure(lines.length * lh);
    for (const l of lines) {
      const w = font.widthOfTextAtSize(l, size);
      const dx = opts.align === 'center' ? (width - w) / 2 : opts.align === 'right' ? width - w : 0;
      this.page.drawText(l, { x: x + dx, y: this.y - size, size, font, color: opts.color ?? INK });
      this.y -= lh;
    }
    this.y -= opts.gap ?? 2;
    return lines.length * lh;
  }
  /** A table row: cells wrapped in their columns, bordered; returns nothing, moves y down. */
  row(cells: string[], widths: number[], opts: { size?: number; bold?: boolean; align?: ('left' | 'center' | 'right')[] } = {}): void {
    const size = opts.size ?? 8;
    const font = opts.bold ? this.bold : this.font;
    const wrapped = cells.map((c, i) => this.wrap(c, widths[i] - 6, size, font));
    const h = Math.max(...wrapped.map((w) => w.length)) * size * 1.25 + 6;
    this.ensure(h);
    let x = M;
    wrapped.forEach((lines, i) => {
      this.page.drawRectangle({ x, y: this.y - h, width: widths[i], height: h, borderColor: INK, borderWidth: 0.5 });
      lines.forEach((l, j) => {
        const w = font.widthOfTextAtSize(l, size);
        const a = opts.align?.[i] ?? 'left';
        const dx = a === 'center' ? (widths[i] - w) / 2 : a === 'right' ? widths[i] - 3 - w : 3;
        this.page.drawText(l, { x: x + dx, y: this.y - 3 - size - j * size * 1.25 + 1, size, font, color: INK });
      });
      x += widths[i];
    });
    this.y -= h;
  }
}

function drawQr(w: Writer, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 8);
  w.page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) w.page.drawRectangle({ x: x + (c + 4) * cell, y: y + size - (r + 5) * cell, width: cell, height: cell, color: INK });
    }
  }
}

function signatureBlock(w: Writer, s: SignatureView, t: T): void {
  const h = 70;
  w.ensure(h + 6);
  const top = w.y;
  w.page.drawRectangle({ x: M, y: top - h, width: A4[0] - 2 * M - 130, height: h, borderColor: BLUE, borderWidth: 0.8, color: rgb(0.96, 0.98, 1) });
  w.y -= 5;
  const x = M + 8;
  const width = A4[0] - 2 * M - 146;
  w.text(`${t('pdf.signatureBlock')} — ${s.signerName}`, { x, width, size: 8.5, bold: true, color: BLUE, gap: 0 });
  w.text(`${t('pdf.iinBin')}: ${s.signerIin ?? '—'} / ${s.signerBin ?? '—'} · ${t(`detail.sigRole.${s.role}`)}`, { x, width, size: 8, gap: 0 });
  w.text(`${t('pdf.serial')}: ${s.certSerial ?? '—'}`, { x, width, size: 8, gap: 0 });
  w.text(`${t('pdf.time')}: ${formatDateTime(s.signedAt, { seconds: true, zone: true })}`, { x, width, size: 8, gap: 0 });
  w.text(`${t('pdf.timestamp')}: ${s.timestampAt ? formatDateTime(s.timestampAt, { seconds: true, zone: true }) : s.pending ? t('pdf.pendingSync') : t('pdf.none')}`, { x, width, size: 8, gap: 0 });
  w.y = top - h - 6;
}

function actBody(w: Writer, d: ExportData, t: T): void {
  const x = d.detail.data;
  if (x.kind !== 'act') return;
  const r1 = x.act.r1;
  w.text(`${t('r1.appendix')}\n${t('r1.form')}`, { size: 7, align: 'right', gap: 8 });
  const party = (label: string, p: typeof r1.customer) => w.text(`${label}: ${p.name}, ${p.address}${p.contacts ? `, ${p.contacts}` : ''} — ${t('r1.iinBin')} ${p.iinBin}`, { size: 8.5 });
  party(t('r1.customer'), r1.customer);
  party(t('r1.performer'), r1.performer);
  w.text(`${t('r1.contract')}: ${r1.contract ? t('r1.contractOf', { number: r1.contract.number, date: formatDate(r1.contract.date) }) : t('r1.contractNone')}`, { size: 8.5 });
  w.text(`${t('r1.docNumber')}: ${r1.documentNumber}    ${t('r1.docDate')}: ${formatDate(r1.documentDate)}`, { size: 8.5, align: 'right', gap: 6 });
  w.text(t('r1.title'), { size: 11, bold: true, align: 'center', gap: 6 });
  const widths = [26, 150, 52, 80, 40, 50, 58, 59];
  w.row([t('r1.colNo'), t('r1.colName'), t('r1.colDate'), t('r1.colReport'), t('r1.colUnit'), t('r1.colQty'), t('r1.colPrice'), t('r1.colAmount')], widths, { size: 6, align: Array(8).fill('center') });
  w.row(['1', '2', '3', '4', '5', '6', '7', '8'], widths, { size: 6, align: Array(8).fill('center') });
  const right: ('left' | 'center' | 'right')[] = ['center', 'left', 'center', 'left', 'center', 'right', 'right', 'right'];
  for (const l of r1.lines) {
    w.row([String(l.no), l.name, formatDate(l.performedOn), l.report, l.unit, l.quantity.replace('.', ','), formatMoney(l.price, { currency: false }), formatMoney(l.amount, { currency: false })], widths, { size: 7.5, align: right });
  }
  const sum = (a: number, b: number) => a + b;
  w.row([t('r1.total'), formatMoney(r1.totals.amount, { currency: false })], [widths.slice(0, 7).reduce(sum), widths[7]], { size: 7.5, bold: true, align: ['right', 'right'] });
  w.row([t('r1.vat', { rate: r1.totals.vatRate }), formatMoney(r1.totals.vat, { currency: false })], [widths.slice(0, 7).reduce(sum), widths[7]], { size: 7.5, align: ['right', 'right'] });
  w.row([t('r1.withVat'), formatMoney(r1.totals.amountWithVat, { currency: false })], [widths.slice(0, 7).reduce(sum), widths[7]], { size: 7.5, bold: true, align: ['right', 'right'] });
  w.y -= 6;
  w.text(`${t('r1.stocks')}: ${r1.customerStocks || '—'}`, { size: 8 });
  w.text(`${t('r1.attachments')}${r1.attachments.length ? `: ${r1.attachments.join('; ')}` : ''}`, { size: 7.5, gap: 8 });
  const colW = (A4[0] - 2 * M - 20) / 2;
  const top = w.y;
  w.text(t('r1.handedOver'), { x: M, width: colW, size: 8.5, bold: true });
  w.text(`${r1.handedOver.position} / ${r1.handedOver.name}`, { x: M, width: colW, size: 8.5 });
  w.text(`${t('r1.position')} / ${t('r1.signature')} / ${t('r1.fullName')}`, { x: M, width: colW, size: 6.5, color: GREY });
  const left = w.y;
  w.y = top;
  w.text(t('r1.accepted'), { x: M + colW + 20, width: colW, size: 8.5, bold: true });
  w.text(`${r1.accepted.position} / ${r1.accepted.name}`, { x: M + colW + 20, width: colW, size: 8.5 });
  w.text(`${t('r1.position')} / ${t('r1.signature')} / ${t('r1.fullName')}`, { x: M + colW + 20, width: colW, size: 6.5, color: GREY });
  w.y = Math.min(left, w.y) - 4;
  w.text(t('r1.edsNote'), { size: 7.5, color: GREY, gap: 8 });
}

function reconciliationBody(w: Writer, d: ExportData, t: T): void {
  const x = d.detail.data;
  if (x.kind !== 'reconciliation') return;
  const r = x.reconciliation;
  w.text(t('pdf.recon'), { size: 11, bold: true, align: 'center', gap: 4 });
  w.text(`${r.counterpartyName} — ${r.counterpartyIinBin}`, { size: 9, align: 'center' });
  w.text(t('recon.period', { from: formatDate(r.periodFrom), to: formatDate(r.periodTo) }), { size: 9, align: 'center', gap: 8 });
  const half = (title: string, h: NonNullable<typeof r.theirs>) => {
    w.text(title, { size: 9, bold: true });
    const widths = [70, 255, 95, 95];
    const m = (v: number) => (v ? formatMoney(v, { currency: false }) : '');
    w.row([t('recon.date'), t('recon.document'), t('recon.debit'), t('recon.credit')], widths, { size: 7.5, bold: true, align: ['center', 'center', 'center', 'center'] });
    w.row(['', t('recon.opening'), m(Math.max(h.opening, 0)), m(Math.max(-h.opening, 0))], widths, { size: 7.5, align: ['left', 'left', 'right', 'right'] });
    for (const l of h.lines) w.row([formatDate(l.date), l.document, m(l.debit), m(l.credit)], widths, { size: 7.5, align: ['center', 'left', 'right', 'right'] });
    w.row(['', t('recon.turnover'), m(h.turnover.debit), m(h.turnover.credit)], widths, { size: 7.5, bold: true, align: ['left', 'left', 'right', 'right'] });
    w.row(['', t('recon.closing'), m(Math.max(h.closing, 0)), m(Math.max(-h.closing, 0))], widths, { size: 7.5, bold: true, align: ['left', 'left', 'right', 'right'] });
    w.y -= 8;
  };
  half(t('recon.ours', { name: '' }), r.ours);
  if (r.theirs) half(t('recon.theirs', { name: r.counterpartyName }), r.theirs);
  w.text(`${t('recon.conclusion')}: ${r.conclusion.text}`, { size: 9, gap: 8 });
}

function serviceActBody(w: Writer, d: ExportData, t: T): void {
  const x = d.detail.data;
  if (x.kind !== 'service_act') return;
  const s = x.serviceAct;
  w.text(`${t('pdf.serviceAct')} № ${s.number}`, { size: 11, bold: true, align: 'center', gap: 8 });
  w.text(`${t('billing.amount')}: ${formatMoney(s.amount)}; ${t('billing.vat', { rate: s.vatRate })}: ${formatMoney(s.vat)}; ${t('r1.withVat')}: ${formatMoney(s.total)}`, { size: 9, gap: 8 });
}

/** The PDF bytes of a document with its signature blocks and QR code. */
export async function documentPdf(data: ExportData, t: T, loadFonts: FontLoader = browserFonts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fonts = await loadFonts();
  const font = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const d = data.detail;
  doc.setTitle(`${t(`kind.${d.ref.kind}`)} ${d.row.number}`);
  doc.setSubject(`${d.ref.kind}:${d.ref.id} sha256:${d.canonical.sha256}`);
  doc.setProducer('Kense Office');
  doc.setCreator('Kense Office');
  doc.setCreationDate(new Date(data.generatedAt));
  const w = new Writer(doc, font, bold);

  if (d.data.kind === 'act') actBody(w, data, t);
  else if (d.data.kind === 'reconciliation') reconciliationBody(w, data, t);
  else serviceActBody(w, data, t);

  // Signature blocks, then the QR beside the last of them.
  w.ensure(90);
  if (d.signatures.length === 0) w.text(t('pdf.notSigned'), { size: 9, color: GREY, gap: 6 });
  for (const s of d.signatures) signatureBlock(w, s, t);
  w.ensure(130);
  const qrSize = 110;
  const qrY = Math.max(M + 14, w.y - qrSize);
  drawQr(w, data.qrText, A4[0] - M - qrSize, qrY, qrSize);
  w.text(`${t('pdf.documentId')}: ${d.ref.id}`, { size: 7.5, width: A4[0] - 2 * M - qrSize - 10, gap: 0 });
  w.text(`${t('pdf.digest')}: ${d.canonical.sha256}`, { size: 7.5, width: A4[0] - 2 * M - qrSize - 10, gap: 0 });
  w.text(t('pdf.qr'), { size: 7, color: GREY, width: A4[0] - 2 * M - qrSize - 10 });

  const pages = w.pages.length;
  w.pages.forEach((p, i) => {
    const footer = `${t('pdf.generated', { time: formatDateTime(data.generatedAt) })} · ${t('pdf.page', { page: i + 1, pages })}`;
    p.drawText(footer, { x: M, y: 22, size: 7, font, color: GREY });
  });
  return doc.save();
}
