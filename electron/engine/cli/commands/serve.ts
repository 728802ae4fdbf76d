import { startBridge } from '../../bridge/bridge-server.js';
import { createConsoleSink, createLogger } from '../../logging/logger.js';
import type { CliCommand } from '../command.js';
import { integerOption, print } from '../command.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [--port P]',
  summary: 'browser mode: serve the UI and the contract on 127.0.0.1',
  options: { port: { type: 'string' } },
  transport: 'bridge',
  async run(context) {
    const { engine, io } = context;
    const port = integerOption(context.values.port, 'port', 0, 65535) ?? engine.settings.current().values.bridge.port;
    const bridge = await startBridge({
      dispatcher: engine.dispatcher,
      events: engine.events,
      logger: createLogger({
        level: 'warn',
        sinks: [createConsoleSink(io.stderr), { write: (line) => context.logger.info('bridge', { line }) }],
      }),
      rendererDir: context.rendererDir,
      port,
    });
    context.logger.info('browser mode started', { port: bridge.port });
    print(
      context,
      { ok: true, url: bridge.url, port: bridge.port, token: bridge.token, dataDir: engine.dataDir },
      `Trạm Số hóa — browser mode\nOpen: ${bridge.url}\nData: ${engine.dataDir}\nPress Ctrl+C to stop.`,
    );
    await io.untilStopped();
    await bridge.close();
    return 0;
  },
};
