// Lets the repository's own compilation check the examples as `retis ts` does: there, the engine declares
// these globals; here, this file does. Not part of the engine.
import type { EventFile } from "../../typings/index.js";

declare global {
  const reader: EventFile;
  const argv: string[];
}
