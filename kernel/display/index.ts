// The engine's display module (EngineOptions.displayModule): loaded in the evaluation thread, its
// default export formats cell results and display(x) arguments.
export { format as default } from "./format.js";
