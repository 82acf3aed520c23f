/** A fatal import error (unreadable file, missing columns, malformed JSON): nothing is imported. */
export class DirectoryImportError extends Error {
  override name = 'DirectoryImportError';
}
