/**
 * Repairs the encoding of Vietnamese text that OCR (or a legacy converter) produced, and nothing else.
 *
 * Every rule here maps one spelling of a letter to the one Unicode spelling of the same letter
 * (NFC): combining marks composed onto their base, marks in the wrong order or before their base
 * put back, look-alike letters from other scripts inside a Latin word replaced by the Latin letter
 * they render as. No rule adds, removes or changes a letter a reader would see, so it never invents
 * a word: `repairVietnameseText(x)` looks the same as `x` on screen, and is equal to it when `x` was
 * already clean NFC.
 */

/** Cyrillic and Greek letters drawn exactly like a Latin letter in common fonts. */
const homoglyphs: Readonly<Record<string, string>> = {
  // Cyrillic small
  а: 'a',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  ԝ: 'w',
  х: 'x',
  у: 'y',
  // Cyrillic capital
  А: 'A',
  В: 'B',
  С: 'C',
  Е: 'E',
  Н: 'H',
  І: 'I',
  Ј: 'J',
  К: 'K',
  М: 'M',
  О: 'O',
  Р: 'P',
  Ѕ: 'S',
  Т: 'T',
  Х: 'X',
  Ү: 'Y',
  // Greek small
  ο: 'o',
  ν: 'v',
  // Greek capital
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  // The capital D with stroke has two look-alikes (Icelandic eth, African D); legacy Vietnamese
  // converters emit the eth for Đ, and in a Vietnamese word it can only mean Đ.
  Ð: 'Đ',
  Ɖ: 'Đ',
};

/** Spacing accents that stand in for the combining tone mark right after a vowel. */
const spacingTones: Readonly<Record<string, string>> = {
  '\u00b4': '\u0301', // ´ acute accent
  '\u02ca': '\u0301', // ˊ modifier acute
  '\u02cb': '\u0300', // ˋ modifier grave
  '\u02dc': '\u0303', // ˜ small tilde
};

/** Characters with no width and no meaning inside a word (zero-width space, joiners, soft hyphen, BOM). */
const invisible = /[\u200b-\u200d\u2060\u00ad\ufeff]/gu;

/** The Vietnamese tone marks (grave, acute, tilde, hook above, dot below). */
const toneMarks = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
/** Marks that change the vowel itself (circumflex, breve, horn); Unicode composes these first. */
const vowelMarks = new Set(['\u0302', '\u0306', '\u031b']);

const vowels = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯY';

const isLatinLetter = (char: string): boolean => /\p{Script=Latin}/u.test(char);
const isCombining = (char: string): boolean => /\p{M}/u.test(char);

/** A word: letters and marks of any script, possibly joined by the invisible characters above. */
const wordPattern = /[\p{L}\p{M}\u200b-\u200d\u2060\u00ad\ufeff]+/gu;

/** Replaces look-alike letters, but only in a word that also has a Latin letter (a Greek or Russian word stays). */
function replaceHomoglyphs(word: string): string {
  const chars = [...word];
  if (!chars.some((char) => isLatinLetter(char) && homoglyphs[char] === undefined)) {
    // Only look-alikes and other scripts: a foreign word, or a lone Ð that stands for Đ.
    return chars.length === 1 && (word === 'Ð' || word === 'Ɖ') ? 'Đ' : word;
  }
  return chars.map((char) => homoglyphs[char] ?? char).join('');
}

/** Puts each run of combining marks in Vietnamese order (vowel mark, then tone) and drops a repeated mark. */
function orderMarks(word: string): string {
  const chars = [...word];
  const out: string[] = [];
  let i = 0;
  // A mark typed before its letter (some input methods do) belongs to the letter after it.
  const leading: string[] = [];
  while (i < chars.length && isCombining(chars[i] ?? '')) leading.push(chars[i++] ?? '');
  if (leading.length > 0 && i < chars.length && vowels.includes(chars[i] ?? '')) {
    out.push(chars[i++] ?? '');
    chars.splice(i, 0, ...leading);
  } else {
    out.push(...leading);
  }
  while (i < chars.length) {
    const char = chars[i++] ?? '';
    if (!isCombining(char)) {
      out.push(char);
      continue;
    }
    const run = [char];
    while (i < chars.length && isCombining(chars[i] ?? '')) run.push(chars[i++] ?? '');
    const unique = run.filter((mark, index) => run.indexOf(mark) === index);
    const rank = (mark: string): number => (vowelMarks.has(mark) ? 0 : toneMarks.has(mark) ? 1 : 2);
    out.push(...unique.sort((a, b) => rank(a) - rank(b)));
  }
  return out.join('');
}

/** Turns a spacing accent right after a vowel inside a word into the combining tone mark it stands for. */
function combineSpacingTones(text: string): string {
  return text.replace(
    /(\p{L})([\u00b4\u02ca\u02cb\u02dc])(?=\p{L}|$|[\s.,;:!?)\]"”'’])/gu,
    (match, letter: string, accent: string) => {
      const base = letter.normalize('NFD')[0] ?? '';
      if (!vowels.includes(base)) return match;
      // A letter that already carries a tone keeps it; the accent is then not a tone we can place.
      if ([...letter.normalize('NFD')].some((mark) => toneMarks.has(mark))) return match;
      return `${letter}${spacingTones[accent] ?? ''}`;
    },
  );
}

/**
 * NFC text with its encoding repaired (see the module comment); idempotent.
 *
 * Rules, in order: drop zero-width characters inside words; a spacing accent (´ ˋ ˜) right after a
 * vowel becomes the combining tone; in a word that mixes scripts, Cyrillic/Greek look-alikes become
 * the Latin letters they look like (and Ð/Ɖ become Đ); combining marks typed before their vowel move
 * after it, a mark repeated on one letter counts once, the vowel mark goes before the tone; NFC.
 */
export function repairVietnameseText(text: string): string {
  const spaced = combineSpacingTones(text.normalize('NFC'));
  const repaired = spaced.replace(wordPattern, (word) =>
    orderMarks(replaceHomoglyphs(word.replace(invisible, '')).normalize('NFD')).normalize('NFC'),
  );
  return repaired.normalize('NFC');
}

/** Whether the text is already what `repairVietnameseText` would make of it. */
export function isRepairedVietnameseText(text: string): boolean {
  return repairVietnameseText(text) === text;
}
