/**
 * The number words the built-in `number` entity reads, by normalized form (lower case,
 * `ё` → `е`, as the tokenizer gives them). Each word has a kind that says where it may stand
 * in a number (see number.ts for the grammar) and a value.
 */
export type NumberWordKind =
  | 'zero' // stands alone
  | 'unit' // 1..9
  | 'teen' // 10..19
  | 'tens' // 20..90
  | 'hundreds' // Russian 100..900, one word ("двести")
  | 'hundred' // English "hundred", a multiplier of the unit before it
  | 'scale' // thousand, million, billion
  | 'half' // Russian "полтора" (1.5): alone or before a scale word
  | 'a' // English "a" in "a hundred", "a thousand"
  | 'and'; // English "and" in "a hundred and five"

export interface NumberWord {
  kind: NumberWordKind;
  value: number;
  /**
   * A form that also is a common non-number word ("семью": "family" as well as "seven"), so
   * it counts only inside a longer number ("двадцатью семью", "семью тысячами").
   */
  notAlone?: boolean;
  /**
   * A scale form that means a count only after a number: plural forms ("тысяч людей" are
   * thousands of people, "пять тысяч" is 5000) and abbreviations ("5 тыс.").
   */
  needsCount?: boolean;
}

export type NumberLexicon = ReadonlyMap<string, NumberWord>;

function lexicon(groups: [NumberWordKind, number, string][]): NumberLexicon {
  const map = new Map<string, NumberWord>();
  for (const [kind, value, forms] of groups) {
    for (const form of forms.split(/\s+/)) {
      // A trailing "?" marks a form that also is an ordinary word, "+" one that needs a count before it.
      const word: NumberWord = { kind, value };
      if (form.endsWith('?')) word.notAlone = true;
      if (form.endsWith('+')) word.needsCount = true;
      map.set(form.replace(/[?+]$/, ''), word);
    }
  }
  return map;
}

/** English cardinals. Plurals ("hundreds", "thousands of people") are not numbers. */
export const ENGLISH_NUMBER_WORDS: NumberLexicon = lexicon([
  ['zero', 0, 'zero'],
  ['unit', 1, 'one'],
  ['unit', 2, 'two'],
  ['unit', 3, 'three'],
  ['unit', 4, 'four'],
  ['unit', 5, 'five'],
  ['unit', 6, 'six'],
  ['unit', 7, 'seven'],
  ['unit', 8, 'eight'],
  ['unit', 9, 'nine'],
  ['teen', 10, 'ten'],
  ['teen', 11, 'eleven'],
  ['teen', 12, 'twelve'],
  ['teen', 13, 'thirteen'],
  ['teen', 14, 'fourteen'],
  ['teen', 15, 'fifteen'],
  ['teen', 16, 'sixteen'],
  ['teen', 17, 'seventeen'],
  ['teen', 18, 'eighteen'],
  ['teen', 19, 'nineteen'],
  ['tens', 20, 'twenty'],
  ['tens', 30, 'thirty'],
  ['tens', 40, 'forty fourty'],
  ['tens', 50, 'fifty'],
  ['tens', 60, 'sixty'],
  ['tens', 70, 'seventy'],
  ['tens', 80, 'eighty'],
  ['tens', 90, 'ninety'],
  ['hundred', 100, 'hundred'],
  ['scale', 1e3, 'thousand'],
  ['scale', 1e6, 'million'],
  ['scale', 1e9, 'billion'],
  ['a', 1, 'a'],
  ['and', 0, 'and'],
]);

/**
 * Russian cardinals in all six cases (nominative, genitive, dative, accusative, instrumental,
 * prepositional), feminine and neuter forms of 1 and 2 included. Not covered: ordinals
 * ("второй"), collectives ("двое", "трое"), fractions other than полтора, "пол-".
 * Bare "тысячи" reads as 1000 ("около тысячи"), though it can also be "thousands" ("тысячи
 * людей"); the purely plural forms ("тысяч", "тысячами") need a count before them.
 */
export const RUSSIAN_NUMBER_WORDS: NumberLexicon = lexicon([
  ['zero', 0, 'ноль нуль ноля нуля нолю нулю нолем нулем ноле нуле'],
  ['unit', 1, 'один одна одно одного одной одному одним одну одном'],
  ['unit', 2, 'два две двух двум двумя'],
  ['unit', 3, 'три трех трем тремя'],
  ['unit', 4, 'четыре четырех четырем четырьмя'],
  ['unit', 5, 'пять пяти пятью'],
  ['unit', 6, 'шесть шести шестью'],
  ['unit', 7, 'семь семи семью?'],
  ['unit', 8, 'восемь восьми восемью восьмью'],
  ['unit', 9, 'девять девяти девятью'],
  ['teen', 10, 'десять десяти десятью'],
  ['teen', 11, 'одиннадцать одиннадцати одиннадцатью'],
  ['teen', 12, 'двенадцать двенадцати двенадцатью'],
  ['teen', 13, 'тринадцать тринадцати тринадцатью'],
  ['teen', 14, 'четырнадцать четырнадцати четырнадцатью'],
  ['teen', 15, 'пятнадцать пятнадцати пятнадцатью'],
  ['teen', 16, 'шестнадцать шестнадцати шестнадцатью'],
  ['teen', 17, 'семнадцать семнадцати семнадцатью'],
  ['teen', 18, 'восемнадцать восемнадцати восемнадцатью'],
  ['teen', 19, 'девятнадцать девятнадцати девятнадцатью'],
  ['tens', 20, 'двадцать двадцати двадцатью'],
  ['tens', 30, 'тридцать тридцати тридцатью'],
  ['tens', 40, 'сорок сорока'],
  ['tens', 50, 'пятьдесят пятидесяти пятьюдесятью'],
  ['tens', 60, 'шестьдесят шестидесяти шестьюдесятью'],
  ['tens', 70, 'семьдесят семидесяти семьюдесятью'],
  ['tens', 80, 'восемьдесят восьмидесяти восемьюдесятью'],
  ['tens', 90, 'девяносто девяноста'],
  ['hundreds', 100, 'сто ста'],
  ['hundreds', 200, 'двести двухсот двумстам двумястами двухстах'],
  ['hundreds', 300, 'триста трехсот тремстам тремястами трехстах'],
  ['hundreds', 400, 'четыреста четырехсот четыремстам четырьмястами четырехстах'],
  ['hundreds', 500, 'пятьсот пятисот пятистам пятьюстами пятистах'],
  ['hundreds', 600, 'шестьсот шестисот шестистам шестьюстами шестистах'],
  ['hundreds', 700, 'семьсот семисот семистам семьюстами семистах'],
  ['hundreds', 800, 'восемьсот восьмисот восьмистам восемьюстами восьмистах'],
  ['hundreds', 900, 'девятьсот девятисот девятистам девятьюстами девятистах'],
  ['scale', 1e3, 'тысяча тысячи тысяче тысячу тысячей тысячею тысяч+ тысячам+ тысячами+ тысячах+ тыс+'],
  ['scale', 1e6, 'миллион миллиона миллиону миллионом миллионе миллионов+ миллионам+ миллионами+ миллионах+ млн+'],
  ['scale', 1e9, 'миллиард миллиарда миллиарду миллиардом миллиарде миллиардов+ миллиардам+ миллиардами+ миллиардах+ млрд+'],
  ['half', 1.5, 'полтора полторы полутора'],
]);
