/** Size and margin of the reserved signature fields, in PDF points (1/72 inch). */
export interface SignatureFieldLayout {
  width: number;
  height: number;
  margin: number;
}

/** 7 cm × 2 cm, 1 cm from the top and side edges: room for a name, a time and an agency on three lines of 10 pt. */
export const defaultSignatureLayout: SignatureFieldLayout = { width: 198, height: 57, margin: 28 };

type Rect = [number, number, number, number];

/** The rectangles (`[x0 y0 x1 y1]`, PDF user space) of the operator's (top-left) and agency's (top-right) fields. */
export function signatureFieldRects(
  page: { width: number; height: number },
  layout: Partial<SignatureFieldLayout> = {},
): { operator: Rect; agency: Rect } {
  const { margin, height } = { ...defaultSignatureLayout, ...layout };
  // A narrow page still gets two fields side by side.
  const width = Math.min(layout.width ?? defaultSignatureLayout.width, (page.width - 3 * margin) / 2);
  const top = page.height - margin;
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    operator: [round(margin), round(top - height), round(margin + width), round(top)],
    agency: [round(page.width - margin - width), round(top - height), round(page.width - margin), round(top)],
  };
}
