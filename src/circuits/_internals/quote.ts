/** A name or value quoted for a one-line message: JSON string syntax, with every line break escaped. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  // JSON.stringify leaves U+2028/U+2029 raw; they would break the line in a terminal or log.
  return text.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
