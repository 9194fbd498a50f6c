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

/**
 * A wrong option of `collect()` or `retis collect` (a probe, a filter, a size, a collector this kernel cannot
 * run), found before anything started: the one line names the option and what was expected.
 */
export class RetisOptionError extends RetisUsageError {
  override name = "RetisOptionError";
}

/**
 * The process lacks the rights to load BPF programs (`collect()`, `retis collect`): root, or the
 * capabilities CAP_BPF and CAP_PERFMON, are needed. Nothing was started.
 */
export class RetisPermissionError extends Error {
  override name = "RetisPermissionError";
}

/** Plain words for an operating-system error (`EACCES` → "permission denied"), for one-line messages. */
export function systemErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EIO":
      return "input/output error (the disk or device failed)";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "read-only file system";
    case "EFBIG":
      return "file too large";
    case "EPIPE":
      return "the reader closed the pipe";
    case "ENXIO":
      return "no such device (a FIFO with no writer, or a device that is gone)";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "file name too long";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    case "EINVAL":
      return "this kind of file cannot be read this way";
    case "ENODEV":
      return "no such device";
    case "EBADF":
      return "not an open file";
    default:
      return code ? `system error ${code}` : e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }
}
