/** Strings of the review part of the clerk's desk (Vietnamese first, English typed to match). */
export const reviewVi = {} as const;

export const reviewEn: Record<keyof typeof reviewVi, string> = {};
