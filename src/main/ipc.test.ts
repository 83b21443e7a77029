/**
 * registerIpc without Electron: `electron` is replaced by a recording ipcMain and a shell stand-in,
 * and the real handlers run on a temp SQLite data folder. Every channel refuses a caller that is
 * not our window's top frame showing our page, without running the handler.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/helpers';
import { type Host, openHost } from '../core/host';
import { createEventBus } from '../core/host/bus';
import { silentLogger } from '../core/logger';
import { HANDLER_NAMES } from '../ipc/contract';
import type { Quire } from '../core/app';
import { DESKTOP_CHANNELS, IPC_EVENT_CHANNEL, IPC_PREFIX, type Result } from '../ipc/contract';
import { registerIpc } from './ipc';

type Listener = (e: unknown, arg: unknown) => Promise<unknown>;

const electron = vi.hoisted(() => {
  const channels = new Map<string, Listener>();
  return {
    channels,
    ipcMain: {
      handle(channel: string, fn: Listener) {
        // Electron throws on a second handler for one channel; so does this stand-in.
        if (channels.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        channels.set(channel, fn);
      },
      removeHandler(channel: string) {
        channels.delete(channel);
      },
    },
    shell: {
      showItemInFolder: vi.fn((_path: string) => {}),
      openPath: vi.fn(async (_path: string) => ''),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain, shell: electron.shell }));

const OUR_URL = 'file:///opt/quire/out/renderer/index.html';
const isOurUrl = (u: string) => u.split('#')[0] === OUR_URL;

interface FakeFrame {
  url: string;
}
interface FakeContents {
  mainFrame: FakeFrame;
  send: ReturnType<typeof vi.fn>;
  isDestroyed(): boolean;
}
const contents = (url: string): FakeContents => ({ mainFrame: { url }, send: vi.fn(), isDestroyed: () => false });

const FORBIDDEN = { ok: false, error: { name: 'QuireError', message: 'This page is not allowed to use Quire.', kind: 'forbidden' } };
const ALL_CHANNELS = [...HANDLER_NAMES.map((n) => IPC_PREFIX + n), ...Object.values(DESKTOP_CHANNELS)];

describe('registerIpc', () => {
  let quire: Quire;
  let realHost: Host;
  /** The host's event route as the IPC layer sees it; the test emits on it directly. */
  const events = createEventBus(silentLogger);
  let documentId: string;
  const ran: string[] = [];
  let ours: FakeContents;
  let trusted: FakeContents | null;
  let unregister: () => void;

  /** Calls a channel the way Electron would for an invoke from `sender`'s `frame`. */
  const invoke = (channel: string, sender: FakeContents, frame: FakeFrame | null, arg?: unknown) => {
    const fn = electron.channels.get(channel);
    if (!fn) throw new Error(`no handler on ${channel}`);
    return fn({ sender, senderFrame: frame }, arg) as Promise<Result<unknown>>;
  };

  beforeAll(async () => {
    realHost = await openHost({ dataDir: tempDir('quire-ipc-'), env: {} });
    quire = realHost.quire;
    // The real handlers, each recording that it ran.
    const handlers = Object.fromEntries(
      HANDLER_NAMES.map((name) => {
        const real = realHost.handlers[name] as (a?: unknown) => Promise<unknown>;
        return [name, (a?: unknown) => (ran.push(name), real(a))];
      }),
    ) as unknown as Host['handlers'];
    await quire.store.enqueueBatch([{ path: '/scans/a.png', size: 1, mtimeMs: 1, kind: 'image/png' }]);
    documentId = (await quire.store.listJobs({ sort: 'created_desc', limit: 1 })).rows[0]!.documentId;
    ours = contents(OUR_URL);
    trusted = ours;
    unregister = registerIpc({
      host: { handlers, subscribe: events.subscribe },
      logger: quire.logger,
      trusted: () => trusted as never,
      isOurUrl,
    });
  });
  afterAll(async () => {
    unregister();
    await realHost.close();
  });
  beforeEach(() => {
    ran.length = 0;
    trusted = ours;
    electron.shell.showItemInFolder.mockClear();
    electron.shell.openPath.mockClear();
  });

  it('registers one channel per handler name and per desktop call, and nothing else', () => {
    expect([...electron.channels.keys()].sort()).toEqual([...ALL_CHANNELS].sort());
  });

  const untrusted: [string, () => { sender: FakeContents; frame: FakeFrame | null }][] = [
    ['another WebContents (showing our URL)', () => ({ sender: contents(OUR_URL), frame: contents(OUR_URL).mainFrame })],
    ['another WebContents sending as if from our main frame', () => ({ sender: contents(OUR_URL), frame: ours.mainFrame })],
    ['a subframe of our window (showing our URL)', () => ({ sender: ours, frame: { url: OUR_URL } })],
    ['a frame that is already gone (senderFrame null)', () => ({ sender: ours, frame: null })],
    [
      'our window’s main frame showing a foreign URL',
      () => {
        trusted = contents('https://evil.example/#/');
        return { sender: trusted, frame: trusted.mainFrame };
      },
    ],
    [
      'our window once trusted() returns null (window closed)',
      () => {
        trusted = null;
        return { sender: ours, frame: ours.mainFrame };
      },
    ],
  ];

  describe.each(untrusted)('refuses every channel from %s', (_title, make) => {
    it.each(ALL_CHANNELS)('%s', async (channel) => {
      const { sender, frame } = make();
      // An argument each handler would accept, so a refusal can only come from the sender check.
      const arg = channel.startsWith(IPC_PREFIX) ? undefined : documentId;
      expect(await invoke(channel, sender, frame, arg)).toEqual(FORBIDDEN);
      expect(ran).toEqual([]);
      expect(electron.shell.showItemInFolder).not.toHaveBeenCalled();
      expect(electron.shell.openPath).not.toHaveBeenCalled();
    });
  });

  it('leaves the queue unpaused when an untrusted sender calls pause', async () => {
    expect(await invoke(IPC_PREFIX + 'pause', contents(OUR_URL), contents(OUR_URL).mainFrame)).toEqual(FORBIDDEN);
    expect(await invoke(IPC_PREFIX + 'pause', ours, { url: OUR_URL })).toEqual(FORBIDDEN);
    expect((await quire.store.stats()).paused).toBe(false);
  });

  it('lets our main frame on our page reach the handlers (any #/route)', async () => {
    const stats = await invoke(IPC_PREFIX + 'stats', ours, ours.mainFrame);
    expect(stats).toMatchObject({ ok: true, value: { pending: 1, paused: false } });
    ours.mainFrame.url = OUR_URL + '#/jobs';
    expect(await invoke(IPC_PREFIX + 'pause', ours, ours.mainFrame)).toMatchObject({ ok: true, value: { paused: true } });
    expect((await quire.store.stats()).paused).toBe(true);
    expect(await invoke(IPC_PREFIX + 'resume', ours, ours.mainFrame)).toMatchObject({ ok: true, value: { paused: false } });
    ours.mainFrame.url = OUR_URL;
    expect(ran).toEqual(['stats', 'pause', 'resume']);
  });

  it.each(HANDLER_NAMES)('passes a trusted call to %s, whose own argument check still applies', async (name) => {
    expect(await invoke(IPC_PREFIX + name, ours, ours.mainFrame, 5)).toMatchObject({ ok: false, error: { kind: 'invalid_argument' } });
    expect(ran).toEqual([name]);
  });

  it('reveals and opens a queued document’s own path for our page, and says why it could not', async () => {
    expect(await invoke(DESKTOP_CHANNELS.showInFolder, ours, ours.mainFrame, documentId)).toEqual({ ok: true, value: null });
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith('/scans/a.png');
    expect(await invoke(DESKTOP_CHANNELS.openFile, ours, ours.mainFrame, documentId)).toEqual({ ok: true, value: null });
    expect(electron.shell.openPath).toHaveBeenCalledWith('/scans/a.png');
    electron.shell.openPath.mockResolvedValueOnce('No application is registered');
    expect(await invoke(DESKTOP_CHANNELS.openFile, ours, ours.mainFrame, documentId)).toMatchObject({
      ok: false,
      error: { kind: 'open_failed', message: 'Could not open /scans/a.png: No application is registered.' },
    });
    // Only a document id is accepted: a path, or junk, never reaches the shell.
    electron.shell.openPath.mockClear();
    expect(await invoke(DESKTOP_CHANNELS.openFile, ours, ours.mainFrame, '/etc/passwd')).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(await invoke(DESKTOP_CHANNELS.openFile, ours, ours.mainFrame, { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { kind: 'invalid_argument' } });
    expect(electron.shell.openPath).not.toHaveBeenCalled();
  });

  it('sends events to the trusted window only, and its unregister function removes every channel and the subscription', async () => {
    const stats = await quire.store.stats();
    events.emit('statsChanged', stats);
    expect(ours.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'statsChanged', data: stats });
    trusted = null;
    events.emit('statsChanged', stats); // no window: nothing to send to, and no throw
    trusted = ours;
    ours.send.mockClear();
    unregister();
    expect(electron.channels.size).toBe(0);
    events.emit('statsChanged', stats);
    expect(ours.send).not.toHaveBeenCalled();
    // Registering again works (a second handler per channel would throw), so the next test host is clean.
    unregister = registerIpc({ host: { handlers: realHost.handlers, subscribe: events.subscribe }, logger: quire.logger, trusted: () => trusted as never, isOurUrl });
    expect([...electron.channels.keys()].sort()).toEqual([...ALL_CHANNELS].sort());
  });
});
