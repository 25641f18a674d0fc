/** A failure located in the document by offsets; `evaluate` turns offsets into lines and columns. */
export class SnippetError extends Error {
  constructor(message: string, readonly start: number, readonly end: number = start, readonly setting?: string) {
    super(message);
  }
}
