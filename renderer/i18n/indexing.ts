/** Strings of the indexing part of the clerk's desk (Vietnamese first, English typed to match). */
export const indexingVi = {} as const;

export const indexingEn: Record<keyof typeof indexingVi, string> = {};
