// Helpers the delivery tests share: a station data folder with results queued for delivery.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../../electron/engine/engine.js';
import type { Engine } from '../../../electron/engine/engine.js';
import { createSilentLogger } from '../../../electron/engine/logging/logger.js';
import type { RecordInput } from '../../../electron/engine/sync/sync-service.js';
import { repoRoot } from '../built-cli.js';

/** Warehouse settings of a test station (written as its `--config` file). */
export interface StationWarehouseSettings {
  url: string;
  clientId: string;
  allowInsecureLoopback?: boolean;
  [key: string]: unknown;
}

/** Writes a settings file for a test station and returns its path. */
export function writeStationConfig(
  dir: string,
  warehouse: StationWarehouseSettings,
  station: Record<string, unknown> = {},
): string {
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        station: { id: 'qn-test-01', agencyId: '000.00.17.H48', agencyName: 'Sở Khoa học và Công nghệ', ...station },
        warehouse: { allowInsecureLoopback: true, ...warehouse },
      },
      null,
      2,
    ),
  );
  return file;
}

/** Opens the engine of a test station (direct transport, no machine policy, silent log). */
export function openStation(dataDir: string, configFile: string): Promise<Engine> {
  return createEngine({
    dataDir,
    resourcesDir: path.join(repoRoot, 'resources'),
    transport: 'direct',
    configFile,
    policyFile: null,
    logger: createSilentLogger(),
  });
}

/** A plausible result record; Vietnamese text typed decomposed on purpose (NFD) to prove NFC on the way out. */
export function sampleRecord(index: number): RecordInput {
  return {
    documentNumber: `${index + 1}/GCN-SKHCN`,
    issuedDate: '2024-03-02',
    kind: 1,
    status: 'valid',
    pages: 1 + (index % 3),
    summary: 'Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ'.normalize('NFD'),
    issuingAgency: 'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi',
    ownerName: 'Nguyễn Thị Hằng',
    dossierCode: `000.00.17.H48-240302-${String(index + 1).padStart(4, '0')}`,
    digitizedAt: '2026-03-02T09:15:30+07:00',
  };
}

/** Bytes that look like a small PDF (the connector does not care; the hash does). */
export function fakePdf(size: number, random: () => number = Math.random): Buffer {
  const body = Buffer.alloc(size);
  crypto.randomFillSync(body);
  body.write('%PDF-1.7\n', 0, 'latin1');
  body.write('\n%%EOF\n', size - 7, 'latin1');
  // A byte from `random` keeps seeded runs distinct without making the content predictable.
  body[10] = Math.floor(random() * 256);
  return body;
}

/** Queues `count` results of 20–200 KB; returns their ids and hashes. */
export async function seedResults(
  engine: Engine,
  count: number,
  options: { minBytes?: number; maxBytes?: number; prefix?: string } = {},
): Promise<Map<string, string>> {
  const minBytes = options.minBytes ?? 20_000;
  const maxBytes = options.maxBytes ?? 200_000;
  const hashes = new Map<string, string>();
  for (let index = 0; index < count; index += 1) {
    const documentId = `${options.prefix ?? 'doc'}-${String(index).padStart(4, '0')}`;
    const sha256 = await engine.store.files.put(fakePdf(minBytes + Math.floor(Math.random() * (maxBytes - minBytes))));
    engine.sync.enqueue({ documentId, fileSha256: sha256, record: sampleRecord(index) });
    hashes.set(documentId, sha256);
  }
  return hashes;
}
