// The platform operations' file work: what name a save dialog suggests, and writing the bytes the user asked for.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** A bare file name safe on Windows, macOS and Linux (the renderer suggests it; it never chooses a folder). */
export function safeFileName(suggested: string, fallback = 'kense-document'): string {
  let name = path.basename(suggested.replace(/\\/g, '/'))
    .replace(/[\0-\x1f<>:"/\\|?*]/g, '_')
    .replace(/[. ]+$/, '')
    .trim();
  if (!name || name === '.' || name === '..' || RESERVED.test(name)) name = fallback;
  return name.length > 200 ? name.slice(0, 200) : name;
}

/** Writes the decoded bytes atomically to the path the user chose in the save dialog. */
export async function writeChosenFile(chosenPath: string, contentBase64: string): Promise<void> {
  const tmp = `${chosenPath}.${process.pid}.part`;
  await fs.writeFile(tmp, Buffer.from(contentBase64, 'base64'));
  await fs.rename(tmp, chosenPath);
}

/** Open-dialog filters for key files (НУЦ РК issues .p12; some tools name them .pfx). */
export const KEY_FILE_EXTENSIONS = ['p12', 'pfx'] as const;
