const FORMULA_START = /^[=+\-@\t\r]/;

/** Text cells a spreadsheet would run as a formula get a leading apostrophe (OWASP's CSV injection advice). */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
