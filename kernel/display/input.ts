// input() for cells: the cell runs in the engine's evaluation thread, stdin lives with the sockets on the
// main thread. The engine carries the question (GlobalsApi.input → ExecuteCallbacks.onInput); this file
// says what the kernel answers when the front end cannot.

/** The reason a cell's input() is refused when the request did not allow stdin. */
export const STDIN_NOT_ALLOWED = "input() is not available: this front end does not allow stdin for this cell (allow_stdin is false)";
