/**
 * XMP metadata of the station's PDF/A files.
 *
 * PDF/A-2 (ISO 19005-2, 6.6) wants the identification (`pdfaid:part` 2, `pdfaid:conformance` B),
 * the document information mirrored from the Info dictionary, and every property outside the
 * predefined XMP schemas declared in a `pdfaExtension` schema inside the same packet. The result's
 * metadata (REQUIREMENTS.md section 5) goes into the station's own namespace, declared that way.
 */

/** Namespace of the result metadata inside the station's PDFs. */
export const resultNamespace = 'https://sohoa.vn/ns/result/1.0/';
export const resultPrefix = 'sohoa';

type XmpValueType = 'Text' | 'Date' | 'Integer' | 'Boolean';

/** The result fields of REQUIREMENTS.md section 5 that a PDF can carry about itself (not its own hash or size). */
export const resultProperties = [
  { name: 'digitizationCode', type: 'Text', description: 'Digitization code (ma ket qua so hoa), TT 01/2023 art. 10' },
  { name: 'resultTypeCode', type: 'Text', description: 'Result type code in the national procedure database' },
  { name: 'ownerId', type: 'Text', description: 'Identification number of the owner of the paper' },
  { name: 'ownerName', type: 'Text', description: 'Name of the owner of the paper' },
  { name: 'documentNumber', type: 'Text', description: 'Number and notation of the paper, e.g. 123/GCN-SKHCN' },
  { name: 'issuedDate', type: 'Date', description: 'Date the paper was issued' },
  { name: 'validUntil', type: 'Date', description: 'End of validity' },
  { name: 'permanent', type: 'Boolean', description: 'Valid without end' },
  { name: 'validityScope', type: 'Text', description: 'Scope of validity' },
  { name: 'summary', type: 'Text', description: 'Summary of the content (trich yeu)' },
  { name: 'issuingAgency', type: 'Text', description: 'Issuing agency' },
  { name: 'signer', type: 'Text', description: 'Signer of the paper' },
  { name: 'dossierCode', type: 'Text', description: 'Dossier code (ma ho so), TT 01/2018 art. 19' },
  { name: 'procedureCode', type: 'Text', description: 'Administrative procedure code' },
  { name: 'sectorCode', type: 'Text', description: 'Sector code' },
  { name: 'digitizedBy', type: 'Text', description: 'Person who digitized the paper' },
  { name: 'digitizedAt', type: 'Date', description: 'Time of digitization' },
  { name: 'kind', type: 'Integer', description: '0 dossier component, 1 result' },
  { name: 'status', type: 'Text', description: 'valid, expired or cancelled' },
  { name: 'pages', type: 'Integer', description: 'Number of pages' },
  { name: 'stationId', type: 'Text', description: 'Station that produced the file' },
] as const satisfies readonly { name: string; type: XmpValueType; description: string }[];

export type ResultPropertyName = (typeof resultProperties)[number]['name'];

/** Result metadata to embed; absent or empty fields are left out. Dates as ISO 8601 strings. */
export type ResultXmpMetadata = Partial<Record<ResultPropertyName, string | number | boolean | null>>;

export interface XmpInput {
  title: string;
  /** Info `Author`; dc:creator. */
  author?: string | undefined;
  /** Info `Subject`; dc:description. */
  subject?: string | undefined;
  creatorTool: string;
  producer: string;
  createdAt: Date;
  modifiedAt: Date;
  /** `uuid:…` identifiers. */
  documentId: string;
  instanceId: string;
  result?: ResultXmpMetadata | undefined;
}

/** Control characters XML 1.0 cannot hold (everything below U+0020 but tab, LF and CR). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const xmlForbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(xmlForbidden, '');
}

/** ISO 8601 to the second in UTC, the form used both here and (as D:…Z) in the Info dictionary. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function resultValue(type: XmpValueType, value: string | number | boolean): string {
  switch (type) {
    case 'Boolean':
      return value === true || value === 'true' ? 'True' : 'False';
    case 'Integer':
      return String(Math.trunc(Number(value)));
    case 'Date':
    case 'Text':
      return xmlEscape(String(value).normalize('NFC'));
  }
}

/** The XMP packet (UTF-8 text, no `bytes`/`encoding` attributes in the xpacket header, as 6.6.2.1 asks). */
export function buildXmp(input: XmpInput): string {
  const result = input.result ?? {};
  const present = resultProperties.filter((property) => {
    const value = result[property.name];
    return value !== undefined && value !== null && value !== '';
  });
  const lines: string[] = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    '<pdfaid:part>2</pdfaid:part>',
    '<pdfaid:conformance>B</pdfaid:conformance>',
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(input.title)}</rdf:li></rdf:Alt></dc:title>`,
  ];
  if (input.author !== undefined) {
    lines.push(`<dc:creator><rdf:Seq><rdf:li>${xmlEscape(input.author)}</rdf:li></rdf:Seq></dc:creator>`);
  }
  if (input.subject !== undefined) {
    lines.push(
      `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(input.subject)}</rdf:li></rdf:Alt></dc:description>`,
    );
  }
  lines.push(
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreateDate>${xmpDate(input.createdAt)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(input.modifiedAt)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(input.modifiedAt)}</xmp:MetadataDate>`,
    `<xmp:CreatorTool>${xmlEscape(input.creatorTool)}</xmp:CreatorTool>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<pdf:Producer>${xmlEscape(input.producer)}</pdf:Producer>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    `<xmpMM:DocumentID>${xmlEscape(input.documentId)}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>${xmlEscape(input.instanceId)}</xmpMM:InstanceID>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about=""',
    ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
    ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
    ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    '<pdfaSchema:schema>SoHoa Station result metadata</pdfaSchema:schema>',
    `<pdfaSchema:namespaceURI>${resultNamespace}</pdfaSchema:namespaceURI>`,
    `<pdfaSchema:prefix>${resultPrefix}</pdfaSchema:prefix>`,
    '<pdfaSchema:property><rdf:Seq>',
    ...resultProperties.map(
      (property) =>
        `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${property.name}</pdfaProperty:name><pdfaProperty:valueType>${property.type}</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${xmlEscape(property.description)}</pdfaProperty:description></rdf:li>`,
    ),
    '</rdf:Seq></pdfaSchema:property>',
    '</rdf:li></rdf:Bag></pdfaExtension:schemas>',
    '</rdf:Description>',
  );
  if (present.length > 0) {
    lines.push(`<rdf:Description rdf:about="" xmlns:${resultPrefix}="${resultNamespace}">`);
    for (const property of present) {
      const value = result[property.name] as string | number | boolean;
      lines.push(
        `<${resultPrefix}:${property.name}>${resultValue(property.type, value)}</${resultPrefix}:${property.name}>`,
      );
    }
    lines.push('</rdf:Description>');
  }
  lines.push('</rdf:RDF>', '</x:xmpmeta>', '<?xpacket end="w"?>');
  return lines.join('\n');
}
