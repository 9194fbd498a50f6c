// Every failure of reading a capture is a RetisFormatError that names the file, the line and what was
// expected, so that a CLI can print it as one line and a fuzz test can recognise it.

/** Where a piece of input came from. */
export interface SourcePos {
  /** File path, or a description such as `<string>`. */
  file: string;
  /** 1-based line number; 0 when the problem is the file as a whole. */
  line: number;
}

/** Bad or unreadable input: the message names the file, the line and what was expected. */
export class RetisFormatError extends Error {
  override name = "RetisFormatError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
  }

  static at(pos: SourcePos | undefined, problem: string): RetisFormatError {
    return new RetisFormatError(pos?.file ?? "<input>", pos?.line ?? 0, problem);
  }
}

/** The API was used the wrong way (an EventReader on a sorted file, …); worded as Retis words it. */
export class RetisUsageError extends Error {
  override name = "RetisUsageError";
}
