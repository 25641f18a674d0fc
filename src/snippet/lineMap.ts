import type { SourceRange } from '../graph/model.ts';

/** Lines and characters of offsets in one document, and back. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) this.starts.push(index + 1);
  }

  position(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.starts[low] };
  }

  range(start: number, end: number): SourceRange {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startCharacter: from.character, endLine: to.line, endCharacter: to.character };
  }

  /** The offset of a 0-based line and character, kept within the document. */
  offset(line: number, character: number): number {
    const lineStart = this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
    return Math.min(this.text.length, lineStart + Math.max(character, 0));
  }
}
