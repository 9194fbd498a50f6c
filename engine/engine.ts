// Placeholder while the implementation lands: the contract in api.ts is what callers code against.
import type { Engine, EngineOptions } from "./api.js";

export async function startEngine(_options: EngineOptions): Promise<Engine> {
  throw new Error("engine: not implemented yet");
}
