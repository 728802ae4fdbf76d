/** Strings of the search part of the clerk's desk (Vietnamese first, English typed to match). */
export const searchVi = {} as const;

export const searchEn: Record<keyof typeof searchVi, string> = {};
