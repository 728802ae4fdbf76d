/**
 * An ICC version 2 sRGB display profile, built in code for the PDF/A OutputIntent.
 *
 * Written from the published sRGB definition (IEC 61966-2-1: primaries and white point adapted to the
 * ICC's D50 connection space with the Bradford transform, the sRGB tone curve sampled at 1024
 * points), so it is the project's own work, with no third-party profile file and no licence to track.
 * Version 2 because PDF/A-2 accepts profiles up to ICC.1:2004 and every reader knows v2.
 */

const description = 'sRGB IEC61966-2.1 (SoHoa Station)';
const copyright = 'No copyright, use freely';
const curvePoints = 1024;

/** D50-adapted XYZ of the sRGB primaries and the D50 media white point. */
const red = [0.4360747, 0.2225045, 0.0139322] as const;
const green = [0.3850649, 0.7168786, 0.0971045] as const;
const blue = [0.1430804, 0.0606169, 0.7141733] as const;
const whiteD50 = [0.9642, 1.0, 0.8249] as const;

function u8(value: number): number[] {
  return [value & 0xff];
}
function u16(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}
function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}
function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0) & 0x7f);
}
function s15Fixed16(value: number): number[] {
  return u32(Math.round(value * 65536) | 0);
}

function xyzType(xyz: readonly [number, number, number]): number[] {
  return [...ascii('XYZ '), ...u32(0), ...xyz.flatMap(s15Fixed16)];
}

function descType(text: string): number[] {
  const bytes = [...ascii(text), 0];
  // ASCII part, then empty Unicode and ScriptCode parts (67 bytes of ScriptCode filler).
  return [
    ...ascii('desc'),
    ...u32(0),
    ...u32(bytes.length),
    ...bytes,
    ...u32(0),
    ...u32(0),
    ...u16(0),
    ...u8(0),
    ...new Array<number>(67).fill(0),
  ];
}

function textType(text: string): number[] {
  return [...ascii('text'), ...u32(0), ...ascii(text), 0];
}

/** The sRGB electro-optical transfer function. */
function srgbToLinear(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function curveType(): number[] {
  const entries: number[] = [];
  for (let i = 0; i < curvePoints; i += 1) {
    entries.push(...u16(Math.round(srgbToLinear(i / (curvePoints - 1)) * 65535)));
  }
  return [...ascii('curv'), ...u32(0), ...u32(curvePoints), ...entries];
}

/** The profile's bytes (about 2.6 KB): colour space RGB, class `mntr`, PCS XYZ. */
export function buildSrgbIccProfile(): Uint8Array {
  const curve = curveType();
  const tagData: [string, number[]][] = [
    ['desc', descType(description)],
    ['cprt', textType(copyright)],
    ['wtpt', xyzType(whiteD50)],
    ['rXYZ', xyzType(red)],
    ['gXYZ', xyzType(green)],
    ['bXYZ', xyzType(blue)],
    ['rTRC', curve],
  ];
  // The three channels share one curve, as the ICC specification allows.
  const shared: [string, string][] = [
    ['gTRC', 'rTRC'],
    ['bTRC', 'rTRC'],
  ];
  const tagCount = tagData.length + shared.length;
  const tableLength = 4 + 12 * tagCount;
  let offset = 128 + tableLength;
  const placed = new Map<string, { offset: number; size: number }>();
  const body: number[] = [];
  for (const [signature, data] of tagData) {
    placed.set(signature, { offset, size: data.length });
    const padding = (4 - (data.length % 4)) % 4;
    body.push(...data, ...new Array<number>(padding).fill(0));
    offset += data.length + padding;
  }
  const table: number[] = [...u32(tagCount)];
  for (const [signature] of tagData) {
    const where = placed.get(signature);
    if (where !== undefined) table.push(...ascii(signature), ...u32(where.offset), ...u32(where.size));
  }
  for (const [signature, target] of shared) {
    const where = placed.get(target);
    if (where !== undefined) table.push(...ascii(signature), ...u32(where.offset), ...u32(where.size));
  }
  const size = 128 + table.length + body.length;
  const header = [
    ...u32(size),
    ...u32(0), // preferred CMM
    ...u32(0x02100000), // version 2.1
    ...ascii('mntr'),
    ...ascii('RGB '),
    ...ascii('XYZ '),
    ...u16(2026),
    ...u16(1),
    ...u16(1),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...ascii('acsp'),
    ...u32(0), // primary platform
    ...u32(0), // flags
    ...u32(0), // manufacturer
    ...u32(0), // model
    ...u32(0),
    ...u32(0), // attributes
    ...u32(0), // rendering intent: perceptual
    ...whiteD50.flatMap(s15Fixed16), // PCS illuminant
    ...u32(0), // creator
    ...new Array<number>(44).fill(0), // profile ID (v4 only) and reserved
  ];
  return Uint8Array.from([...header, ...table, ...body]);
}
