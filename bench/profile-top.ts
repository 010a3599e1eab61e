// The top self-time functions of a .cpuprofile (node --cpu-prof), with their share of samples.
// Usage: npx tsx bench/profile-top.ts FILE.cpuprofile [n=30]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const [file, n = "30"] = process.argv.slice(2);
process.stdout.on("error", () => process.exit(0)); // piped into head
const profile = JSON.parse(readFileSync(file!, "utf8")) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
for (const id of profile.samples) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(dist|node_modules)\//, "$1/")}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
const idle = [...self].filter(([k]) => k.startsWith("(idle)")).reduce((s, [, v]) => s + v, 0);
console.log(`${total} samples, ${((idle / total) * 100).toFixed(1)} % idle; self % of busy samples:`);
for (const [key, count] of [...self]
  .filter(([k]) => !k.startsWith("(idle)"))
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(n)))
  console.log(`${((count / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${key}`);
