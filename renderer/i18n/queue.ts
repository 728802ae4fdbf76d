/** Strings of the queue part of the clerk's desk (Vietnamese first, English typed to match). */
export const queueVi = {} as const;

export const queueEn: Record<keyof typeof queueVi, string> = {};
