import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { StationProvider } from './app/station-context.js';
import { startRendererOcr } from './ocr/start-renderer-ocr.js';
import { createStationClient } from './station/station-client.js';
import { attachEvents } from './store/attach-events.js';
import { createStationStore } from './store/station-store.js';
import './styles.css';

const client = createStationClient();
const store = createStationStore(client);
attachEvents(store, client);
// OCR runs in web workers of this window while it is open; the engine's own pool covers the rest.
startRendererOcr(client);

// Everything the first screen needs is asked for at once; the settings (which name the default
// device) may arrive after the device list, so the device choice is made again once both are in.
const state = store.getState();
void Promise.all([state.loadApp(), state.loadDevices(), state.loadRecentBatches()]).then(() => {
  const { devices, devicesLoaded, applyDevices } = store.getState();
  if (devicesLoaded) applyDevices(devices);
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <StationProvider store={store}>
      <App />
    </StationProvider>
  </StrictMode>,
);
