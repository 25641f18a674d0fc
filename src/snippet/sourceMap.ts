/**
 * Just enough of source maps to place a runtime error: decode a `mappings` string (base64 VLQ) and find
 * the original line and column of a generated one.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((character, index) => [character, index]));

/** One mapping: generated column, original line and original column, all 0-based. */
export type Mapping = readonly [generatedColumn: number, originalLine: number, originalColumn: number];

/** Decodes `mappings` into the mappings of each generated line. */
export function decodeMappings(mappings: string): Mapping[][] {
  const lines: Mapping[][] = [];
  let originalLine = 0;
  let originalColumn = 0;
  for (const line of mappings.split(';')) {
    const decoded: Mapping[] = [];
    let generatedColumn = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const character of segment) {
        const digit = DIGIT.get(character) ?? 0;
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += fields[0];
      if (fields.length >= 4) {
        // fields[1] moves the source index: each chunk has one source, so it is always 0.
        originalLine += fields[2];
        originalColumn += fields[3];
        decoded.push([generatedColumn, originalLine, originalColumn]);
      }
    }
    lines.push(decoded);
  }
  return lines;
}

/** The original position of a 0-based generated line and column: the last mapping at or before it on its line. */
export function originalPosition(lines: Mapping[][], line: number, column: number): { line: number; column: number } | undefined {
  const mappings = lines[line];
  if (!mappings || mappings.length === 0) return undefined;
  let best: Mapping | undefined;
  for (const mapping of mappings) if (mapping[0] <= column) best = mapping;
  return best && { line: best[1], column: best[2] };
}
