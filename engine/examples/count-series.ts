// Counts the series (one per packet) of a sorted file, made by `retis sort -o sorted.data`:
//   retis ts -i sorted.data engine/examples/count-series.ts
let series = 0;
let events = 0;
for (const s of reader.series()) {
  series++;
  events += s.length;
}
console.log(`${series} series, ${events} events`);
