import { z } from 'zod';

/**
 * Edits of a page image, applied in order when output is built; the captured original never changes.
 *
 * - `rotate`: quarter turns clockwise (orientation, or the clerk's rotate button).
 * - `deskew`: straightens content that is rotated `degrees` clockwise on the image, by rotating it
 *   back; the canvas keeps its size and the uncovered corners are filled white.
 * - `crop`: keeps a rectangle given as fractions (0–1) of the image as it is at that step, so the
 *   same edit fits any resolution.
 */
export const PageTransform = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rotate'), degrees: z.union([z.literal(90), z.literal(180), z.literal(270)]) }).strict(),
  z.object({ kind: z.literal('deskew'), degrees: z.number().min(-45).max(45) }).strict(),
  z
    .object({
      kind: z.literal('crop'),
      left: z.number().min(0).max(1),
      top: z.number().min(0).max(1),
      width: z.number().gt(0).max(1),
      height: z.number().gt(0).max(1),
    })
    .strict()
    .refine((crop) => crop.left + crop.width <= 1.000001 && crop.top + crop.height <= 1.000001, {
      message: 'the crop rectangle must lie inside the image',
    }),
]);
export type PageTransform = z.infer<typeof PageTransform>;

/** The clockwise quarter turns the `rotate` edits add up to (deskew and crop do not turn the page). */
export function totalRotation(transforms: readonly PageTransform[]): 0 | 90 | 180 | 270 {
  const sum = transforms.reduce(
    (total, transform) => (transform.kind === 'rotate' ? total + transform.degrees : total),
    0,
  );
  return (((sum % 360) + 360) % 360) as 0 | 90 | 180 | 270;
}

export const PageTransforms = z.array(PageTransform).max(32);
export type PageTransforms = z.infer<typeof PageTransforms>;

/**
 * A document as the review leaves it: its pages in output order (reordering is this order), each
 * with the transforms to apply; a page left out is not in the output but stays in the store.
 */
export const DocumentLayout = z
  .object({
    pages: z
      .array(z.object({ pageId: z.string().min(1).max(100), transforms: PageTransforms }).strict())
      .min(1)
      .max(5000),
  })
  .strict()
  .refine((layout) => new Set(layout.pages.map((page) => page.pageId)).size === layout.pages.length, {
    message: 'a page may appear only once',
  });
export type DocumentLayout = z.infer<typeof DocumentLayout>;
