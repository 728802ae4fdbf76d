import { EventEmitter } from 'node:events';
import type { ResponsePacket } from 'multicast-dns';
import { describe, expect, it } from 'vitest';
import { EsclDiscoveryCollector, discoverEsclScanners } from '../../../electron/engine/scan/escl-discovery.js';
import { deviceFromCapabilities, esclDeviceId } from '../../../electron/engine/scan/escl-driver.js';
import { networkError } from '../../../electron/engine/scan/escl-client.js';
import {
  parseCapabilities,
  parseStatus,
  scanSettingsXml,
  statusError,
} from '../../../electron/engine/scan/escl-xml.js';

// A ScannerCapabilities as an office MFP sends it: a platen with a resolution range, a feeder with
// discrete resolutions and no duplex, PDF and JPEG only.
const mfp = `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm" xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>Brother MFC-L2750DW series</pwg:MakeAndModel>
  <scan:UUID>e3248000-80ce-11db-8000-30055c773bcf</scan:UUID>
  <scan:Platen><scan:PlatenInputCaps>
    <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>
    <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3507</scan:MaxHeight>
    <scan:SettingProfiles><scan:SettingProfile>
      <scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
      <scan:DocumentFormats><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
      <scan:SupportedResolutions><scan:ResolutionRange><scan:XResolution><scan:Min>100</scan:Min><scan:Max>600</scan:Max><scan:Step>1</scan:Step></scan:XResolution></scan:ResolutionRange></scan:SupportedResolutions>
    </scan:SettingProfile></scan:SettingProfiles>
  </scan:PlatenInputCaps></scan:Platen>
  <scan:Adf><scan:AdfSimplexInputCaps>
    <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>
    <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>4200</scan:MaxHeight>
    <scan:SettingProfiles><scan:SettingProfile>
      <scan:ColorModes><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
      <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
      <scan:SupportedResolutions><scan:DiscreteResolutions>
        <scan:DiscreteResolution><scan:XResolution>200</scan:XResolution><scan:YResolution>200</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>600</scan:YResolution></scan:DiscreteResolution>
      </scan:DiscreteResolutions></scan:SupportedResolutions>
    </scan:SettingProfile></scan:SettingProfiles>
  </scan:AdfSimplexInputCaps></scan:Adf>
</scan:ScannerCapabilities>`;

describe('eSCL documents', () => {
  it('reads capabilities: sources, colour modes, formats, discrete and ranged resolutions', () => {
    const caps = parseCapabilities(mfp);
    expect(caps).toMatchObject({ version: '2.63', makeAndModel: 'Brother MFC-L2750DW series', adfDuplex: undefined });
    expect(caps.platen).toEqual({
      minWidth: 16,
      maxWidth: 2550,
      minHeight: 16,
      maxHeight: 3507,
      colorModes: ['BlackAndWhite1', 'Grayscale8', 'RGB24'],
      documentFormats: ['application/pdf', 'image/jpeg'],
      resolutions: [100, 150, 200, 240, 300, 400, 600],
    });
    // 300 × 600 is not square: a page is stored with one resolution, so it is left out.
    expect(caps.adf?.resolutions).toEqual([200, 300]);
    expect(() => parseCapabilities('<html>login</html>')).toThrow(/ScannerCapabilities/);
  });

  it('turns capabilities into a device: black and white only where a lossless format is offered', () => {
    const device = deviceFromCapabilities('escl:192.168.1.20:80', 'Brother tầng 1', parseCapabilities(mfp));
    expect(device).toEqual({
      id: 'escl:192.168.1.20:80',
      kind: 'escl',
      name: 'Brother tầng 1',
      sources: ['flatbed', 'adf'],
      resolutions: [100, 150, 200, 240, 300, 400, 600],
      colourModes: ['color', 'gray'],
      maxAreaMm: { width: 215.9, height: 355.6 },
      pageSizes: ['auto', 'a5', 'a4', 'letter', 'legal'],
    });
    expect(esclDeviceId('https://10.0.0.5/eSCL')).toBe('escl:10.0.0.5:443');
    expect(esclDeviceId('http://scanner.local:8080/eSCL/')).toBe('escl:scanner.local:8080');
  });

  it('reads the status and explains a stopped feeder', () => {
    const status =
      parseStatus(`<?xml version="1.0"?><scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
      <pwg:Version>2.63</pwg:Version><pwg:State>Processing</pwg:State><scan:AdfState>ScannerAdfJam</scan:AdfState>
      <scan:Jobs><scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/42</pwg:JobUri><pwg:JobUuid>42</pwg:JobUuid><pwg:ImagesCompleted>2</pwg:ImagesCompleted>
      <pwg:JobState>Aborted</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>AdfJam</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo></scan:Jobs>
    </scan:ScannerStatus>`);
    expect(status).toEqual({
      state: 'Processing',
      adfState: 'ScannerAdfJam',
      jobs: [
        {
          uri: '/eSCL/ScanJobs/42',
          uuid: '42',
          state: 'Aborted',
          imagesCompleted: 2,
          imagesToTransfer: undefined,
          reasons: ['AdfJam'],
        },
      ],
    });
    expect(statusError(status, true)).toBe('scan/paper-jam');
    expect(statusError({ state: 'Idle', adfState: 'ScannerAdfDoorOpen', jobs: [] }, true)).toBe('scan/cover-open');
    expect(statusError({ state: 'Idle', adfState: 'ScannerAdfEmpty', jobs: [] }, true)).toBe('scan/no-paper');
    // An empty feeder does not matter for the platen.
    expect(statusError({ state: 'Idle', adfState: 'ScannerAdfEmpty', jobs: [] }, false)).toBeUndefined();
    expect(statusError({ state: 'Down', adfState: undefined, jobs: [] }, false)).toBe('scan/offline');
    expect(statusError({ state: 'Idle', adfState: 'ScannerAdfLoaded', jobs: [] }, true)).toBeUndefined();
  });

  it('writes ScanSettings with source, duplex, colour mode, resolution and region', () => {
    const xml = scanSettingsXml({
      version: '2.63',
      inputSource: 'Feeder',
      duplex: true,
      colorMode: 'Grayscale8',
      resolution: 300,
      documentFormat: 'image/jpeg',
      region: { width: 2480.3, height: 3507.9 },
    });
    expect(xml).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(xml).toContain('<scan:Duplex>true</scan:Duplex>');
    expect(xml).toContain('<scan:ColorMode>Grayscale8</scan:ColorMode>');
    expect(xml).toContain('<scan:XResolution>300</scan:XResolution>');
    expect(xml).toContain('<pwg:Width>2480</pwg:Width>');
    expect(xml).toContain('<pwg:Height>3508</pwg:Height>');
    expect(
      scanSettingsXml({
        version: '2.0',
        inputSource: 'Platen',
        duplex: false,
        colorMode: 'RGB24',
        resolution: 200,
        documentFormat: 'image/png',
        region: { width: 10, height: 10 },
      }),
    ).not.toContain('Duplex');
  });

  it('explains network failures: untrusted certificate, scanner that does not answer', () => {
    expect(
      networkError(Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'https://x').code,
    ).toBe('scan/untrusted-certificate');
    expect(
      networkError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'http://x').code,
    ).toBe('scan/offline');
  });
});

/** A response packet as multicast-dns decodes one. */
function response(answers: ResponsePacket['answers'], additionals: ResponsePacket['additionals'] = []): ResponsePacket {
  return { type: 'response', id: 0, flags: 0, questions: [], answers, additionals, authorities: [] };
}

describe('mDNS discovery of eSCL scanners', () => {
  const ptr = (type: string, instance: string) => ({
    name: type,
    type: 'PTR' as const,
    data: instance,
    ttl: 120,
    class: 'IN' as const,
  });
  const srv = (instance: string, port: number, target: string) => ({
    name: instance,
    type: 'SRV' as const,
    data: { port, target, priority: 0, weight: 0 },
    ttl: 120,
    class: 'IN' as const,
  });
  const txt = (instance: string, entries: string[]) => ({
    name: instance,
    type: 'TXT' as const,
    data: entries.map((entry) => Buffer.from(entry)),
    ttl: 120,
    class: 'IN' as const,
  });
  const a = (host: string, address: string) => ({
    name: host,
    type: 'A' as const,
    data: address,
    ttl: 120,
    class: 'IN' as const,
  });

  it('assembles a scanner from PTR, SRV, TXT and A records, asking for what is missing', () => {
    const collector = new EsclDiscoveryCollector();
    const instance = 'Brother MFC-L2750DW series._uscan._tcp.local';
    expect(collector.add(response([ptr('_uscan._tcp.local', instance)]))).toEqual([
      { name: instance, type: 'SRV' },
      { name: instance, type: 'TXT' },
    ]);
    expect(collector.scanners()).toEqual([]);
    expect(
      collector.add(
        response(
          [srv(instance, 80, 'BRN30055C773BCF.local')],
          [
            txt(instance, ['txtvers=1', 'rs=eSCL', 'ty=Brother MFC-L2750DW series', 'UUID=e3248000-80ce']),
            a('BRN30055C773BCF.local', '192.168.1.20'),
          ],
        ),
      ),
    ).toEqual([]);
    expect(collector.scanners()).toEqual([
      { name: 'Brother MFC-L2750DW series', url: 'http://192.168.1.20:80/eSCL', uuid: 'e3248000-80ce' },
    ]);
  });

  it('prefers the plain HTTP service of a scanner that offers both', () => {
    const collector = new EsclDiscoveryCollector();
    const plain = 'HP._uscan._tcp.local';
    const secure = 'HP._uscans._tcp.local';
    collector.add(
      response(
        [ptr('_uscans._tcp.local', secure), ptr('_uscan._tcp.local', plain)],
        [
          srv(secure, 443, 'hp.local'),
          srv(plain, 8080, 'hp.local'),
          txt(secure, ['rs=/eSCL', 'UUID=1']),
          txt(plain, ['rs=eSCL', 'UUID=1']),
          a('hp.local', '10.0.0.9'),
        ],
      ),
    );
    expect(collector.scanners()).toEqual([{ name: 'HP', url: 'http://10.0.0.9:8080/eSCL', uuid: '1' }]);
  });

  it('queries both service types through the transport and stops after the timeout', async () => {
    const sent: { questions: { name: string; type: string }[] }[] = [];
    let destroyed = false;
    const transport = Object.assign(new EventEmitter(), {
      query(query: { questions: { name: string; type: 'PTR' | 'SRV' | 'TXT' | 'A' }[] }) {
        sent.push(query);
        const first = query.questions[0];
        if (first?.type === 'PTR') {
          setImmediate(() =>
            transport.emit('response', response([ptr('_uscans._tcp.local', 'Canon._uscans._tcp.local')])),
          );
        } else if (first?.type === 'SRV') {
          setImmediate(() =>
            transport.emit(
              'response',
              response([
                srv('Canon._uscans._tcp.local', 443, 'canon.local'),
                txt('Canon._uscans._tcp.local', ['rs=eSCL']),
                a('canon.local', '10.1.1.7'),
              ]),
            ),
          );
        }
      },
      destroy() {
        destroyed = true;
      },
    });
    const found = await discoverEsclScanners({ timeoutMs: 100, transport: () => transport });
    expect(found).toEqual([{ name: 'Canon', url: 'https://10.1.1.7:443/eSCL', uuid: undefined }]);
    expect(sent[0]?.questions).toEqual([
      { name: '_uscan._tcp.local', type: 'PTR' },
      { name: '_uscans._tcp.local', type: 'PTR' },
    ]);
    expect(destroyed).toBe(true);
  });
});
