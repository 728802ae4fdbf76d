/** Strings of the settings-screen part of the clerk's desk (Vietnamese first, English typed to match). */
export const settingsScreenVi = {} as const;

export const settingsScreenEn: Record<keyof typeof settingsScreenVi, string> = {};
