/**
 * The main window, locked down: context isolation, sandbox, no Node in the page, a strict CSP
 * header, no navigation away from our page, no new windows, no permissions. It remembers its
 * size and place (bounds.json in the data folder), and is put back on screen if a monitor went away.
 */
import { readEnvironment } from '../core/config/environment';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, type Rectangle, screen, session, shell } from 'electron';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Saved {
  bounds: Rectangle;
  maximized: boolean;
}

function loadBounds(file: string): Saved | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Saved;
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return s.bounds.x < a.x + a.width && s.bounds.x + s.bounds.width > a.x && s.bounds.y < a.y + a.height && s.bounds.y + s.bounds.height > a.y;
    });
    return visible ? s : null;
  } catch {
    return null;
  }
}

export function rendererUrl(): { url: string; isOurUrl: (u: string) => boolean } {
  const dev = readEnvironment().rendererDevUrl;
  if (dev) {
    // Same origin as the dev server, not a prefix: http://localhost:5173.evil.example/ is not ours.
    const origin = new URL(dev).origin;
    return { url: dev, isOurUrl: (u) => URL.canParse(u) && new URL(u).origin === origin };
  }
  const file = join(__dirname, '../renderer/index.html');
  const url = pathToFileURL(file).href;
  // Our page with any #/route; nothing else on disk (a file:// page elsewhere gets no API).
  return { url, isOurUrl: (u) => u.split('#')[0] === url };
}

export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // No remote content: anything that is not our page or a data/blob image is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const dev = readEnvironment().rendererDevUrl;
    const ok = /^(file|data|blob|devtools):/.test(details.url) || (dev !== undefined && details.url.startsWith(dev));
    callback({ cancel: !ok });
  });
}

export function createMainWindow(dataDir: string): { win: BrowserWindow; isOurUrl: (u: string) => boolean } {
  const boundsFile = join(dataDir, 'window.json');
  const saved = loadBounds(boundsFile);
  const win = new BrowserWindow({
    width: saved?.bounds.width ?? 1200,
    height: saved?.bounds.height ?? 800,
    x: saved?.bounds.x,
    y: saved?.bounds.y,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Quire',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // A middle click on a link must not open a new window (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (saved?.maximized) win.maximize();
  const { url, isOurUrl } = rendererUrl();
  win.webContents.on('will-navigate', (e, target) => {
    if (!isOurUrl(target)) e.preventDefault();
  });
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (/^https:\/\//.test(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win.show());
  const save = () => {
    try {
      writeFileSync(boundsFile, JSON.stringify({ bounds: win.getNormalBounds(), maximized: win.isMaximized() } satisfies Saved));
    } catch {
      // Not being able to remember the window's place is not worth bothering anyone about.
    }
  };
  win.on('close', save);
  void win.loadURL(url);
  return { win, isOurUrl };
}
