// The preload of the office window (sandboxed; bundled to one CommonJS file by build/bundle-electron.mjs).
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api';

contextBridge.exposeInMainWorld('kense', createPreloadApi(ipcRenderer));
