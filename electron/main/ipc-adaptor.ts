import { ipcMain as electronIpcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { callNames } from '../../shared/contract.js';
import type { CallResult } from '../../shared/errors.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import type { EventBus } from '../engine/event-bus.js';
import type { Logger } from '../engine/logging/logger.js';
import type { TrustedSenderCheck } from './trusted-sender.js';

// The only module of main that touches ipcMain (STYLE.md: one wrapper for every channel).

/** The part of `ipcMain` the adaptor uses, so tests can pass a recording fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of `WebContents` that events are forwarded to. */
export interface EventTargetContents {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface RegisterContractOptions {
  dispatcher: Dispatcher;
  isTrustedSender: TrustedSenderCheck;
  /** Electron's `ipcMain` unless a test passes a fake. */
  ipcMain?: IpcMainLike;
  logger?: Logger;
}

/**
 * Registers one `ipcMain.handle` per contract call, never a generic channel.
 *
 * Each handler refuses untrusted senders before anything else, then lets the
 * dispatcher validate the arguments (ipc/invalid-args with field paths), run
 * the engine and map throws. Returns a function that removes every handler.
 */
export function registerContract(options: RegisterContractOptions): () => void {
  const ipcMain = options.ipcMain ?? electronIpcMain;
  const { dispatcher, isTrustedSender, logger } = options;
  for (const name of callNames) {
    ipcMain.handle(name, async (event, args): Promise<CallResult<unknown>> => {
      if (!isTrustedSender(event)) {
        // The URL is logged (no personal data in it) so IT can see who tried.
        logger?.warn('refused IPC call from untrusted sender', { call: name, url: event.senderFrame?.url ?? null });
        return {
          ok: false,
          error: { code: 'ipc/untrusted-sender', message: `Refused ${name}: the sender is not the station window` },
        };
      }
      return dispatcher.dispatch(name, args);
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(name);
  };
}

/**
 * Sends every engine event to the window on the event's own channel.
 *
 * Stops by itself when the window's contents are destroyed; also returns the unsubscribe.
 */
export function forwardEvents(events: EventBus, contents: EventTargetContents): () => void {
  const unsubscribe = events.onAny((name, payload) => {
    if (!contents.isDestroyed()) contents.send(name, payload);
  });
  contents.once('destroyed', unsubscribe);
  return unsubscribe;
}
