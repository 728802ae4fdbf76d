import { act } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { App } from '../../../renderer/app/App.js';
import { StationProvider } from '../../../renderer/app/station-context.js';
import { attachEvents } from '../../../renderer/store/attach-events.js';
import type { Screen } from '../../../renderer/store/desk-slice.js';
import { screens } from '../../../renderer/store/desk-slice.js';
import type { StationStore } from '../../../renderer/store/station-store.js';
import { createStationStore } from '../../../renderer/store/station-store.js';
import type { FakeStationClient } from './fake-station-client.js';
import { createHealthyFake, settle } from './fake-station-client.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let container: HTMLElement | null = null;

export interface RenderAppOptions {
  /** The fake engine; a healthy one when left out. */
  client?: FakeStationClient;
  /** Also loads the device list, as main.tsx does. */
  loadDevices?: boolean;
  /** Opens this document (on `screen`, or the review screen) once the app has loaded. */
  document?: string;
  /** The screen to show: with `document` it is opened there, otherwise reached by Alt+N as the clerk would. */
  screen?: Screen;
  /** Loads (and opens `document`) before mounting, so the app mounts straight on it. */
  loadBeforeMount?: boolean;
}

export interface RenderedApp {
  client: FakeStationClient;
  store: StationStore;
  view: HTMLElement;
}

/** Renders the whole app in a fresh container against a fake engine and loads it; undo with `cleanupApp`. */
export async function renderApp(options: RenderAppOptions = {}): Promise<RenderedApp> {
  const client = options.client ?? createHealthyFake();
  const store = createStationStore(client);
  attachEvents(store, client);
  const view = document.createElement('div');
  document.body.append(view);
  container = view;
  const mounted = createRoot(view);
  root = mounted;
  const load = async () => {
    await store.getState().loadApp();
    if (options.loadDevices === true) await store.getState().loadDevices();
    if (options.document !== undefined) store.getState().openDocument(options.document, options.screen);
  };
  const mount = () =>
    mounted.render(
      <StationProvider store={store}>
        <App />
      </StationProvider>,
    );
  await act(async () => {
    if (options.loadBeforeMount === true) {
      await load();
      mount();
    } else {
      mount();
      await load();
    }
    await settle();
    await settle();
  });
  if (options.screen !== undefined && options.document === undefined) {
    await press(String(screens.indexOf(options.screen) + 1), { altKey: true }, window, 2);
  }
  return { client, store, view };
}

/** Unmounts the app of the last `renderApp` and removes its container; call it in afterEach. */
export function cleanupApp(): void {
  act(() => root?.unmount());
  container?.remove();
  root = null;
  container = null;
}

/** Sends a keydown to `target` (the window by default), lets the app settle, and says whether it was cancelled. */
export async function press(
  key: string,
  init: KeyboardEventInit = {},
  target: EventTarget = window,
  rounds = 1,
): Promise<boolean> {
  let prevented = false;
  await act(async () => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    prevented = event.defaultPrevented;
    for (let round = 0; round < rounds; round += 1) await settle();
  });
  return prevented;
}

/** Clicks `element` and lets the app settle `rounds` times. */
export async function click(element: Element | null | undefined, rounds = 1): Promise<void> {
  if (!(element instanceof HTMLElement)) throw new Error('nothing to click');
  await act(async () => {
    element.click();
    for (let round = 0; round < rounds; round += 1) await settle();
  });
}
