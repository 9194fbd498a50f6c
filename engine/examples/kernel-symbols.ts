// Prints where every kernel event was captured, as in Retis's Python example:
//   retis ts engine/examples/kernel-symbols.ts            (reads retis.data)
//   retis ts -i capture.data kernel-symbols               (found in ~/.config/retis/ts/)
for (const event of reader.events()) {
  if (event.kernel) console.log(`event from ${event.kernel.symbol}`);
}
