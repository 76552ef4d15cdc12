// Builds the office (renderer/) into dist/renderer. The same build is served over http by the headless host and
// from app:// by Electron, so every asset URL is relative, nothing is inlined into HTML (strict CSP: no inline
// script, no eval) and nothing is fetched from outside.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, 'renderer');

export default defineConfig({
  root,
  base: './',
  publicDir: path.join(root, 'public'),
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // Fonts and images stay files: a data: URI would need a looser CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
