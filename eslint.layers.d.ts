import type { Linter } from 'eslint';

/** The layer rules of STYLE.md (eslint.layers.js). */
export declare const layerRules: Linter.Config[];
