/**
 * Shapes that must never appear in a log line or a response: a raw 18-character ID number, a raw
 * mainland mobile number, or a WeChat session_key. Masked values (110***********1234) do not match.
 */
const PATTERNS: [string, RegExp][] = [
  ["raw ID number", /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/],
  ["raw mobile number", /(?<![\dA-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![\dA-Za-z])/],
  ["session_key", /session_?key/i],
];

export function findLeaks(text: string): string[] {
  const leaks: string[] = [];
  for (const [name, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) leaks.push(`${name} near "${text.slice(Math.max(0, match.index - 40), match.index)}…"`);
  }
  return leaks;
}
