/**
 * Summarises a V8 CPU profile (`deno run --cpu-prof`, or `deno task bench --cpu-prof DIR`): where
 * the time went by package or source folder, by function (self time), and inclusive.
 * Usage: `deno run --allow-read tests/bench/profile_summary.ts FILE.cpuprofile [TOP] [INCLUSIVE]`
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [path, topText = "30", inclusiveText = "0"] = Deno.args;
if (!path) {
  console.error("profile_summary: Missing profile file: pass FILE.cpuprofile [TOP] [INCLUSIVE]");
  Deno.exit(2);
}
const top = Number(topText);
const profile = JSON.parse(Deno.readTextFileSync(path)) as CpuProfile;
const root = new URL("../../", import.meta.url).href;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parent.set(child, node.id);
}

/** Self time (µs) per node: each sample is charged the delta that follows it. */
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});

function functionKey(frame: CallFrame): string {
  const where = frame.url.replace(/.*\/registry\.npmjs\.org\//, "npm:").replace(root, "");
  return `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber}`;
}

function packageKey(frame: CallFrame): string {
  const npm = frame.url.match(/registry\.npmjs\.org\/((@[^/]+\/)?[^/]+)/);
  if (npm) return `npm:${npm[1]}`;
  if (frame.url.startsWith(root)) {
    return frame.url.slice(root.length).split("/").slice(0, 2).join("/");
  }
  if (frame.url === "") return frame.functionName;
  return frame.url.replace(/.*\/ext\//, "ext:").split("/").slice(0, 2).join("/");
}

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (map: Map<string, number>, key: string, us: number) =>
  map.set(key, (map.get(key) ?? 0) + us);
for (const [id, us] of self) {
  const frame = nodes.get(id)!.callFrame;
  add(byPackage, packageKey(frame), us);
  add(byFunction, functionKey(frame), us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = functionKey(nodes.get(at)!.callFrame);
    if (!seen.has(key)) add(inclusive, key, us);
    seen.add(key);
  }
}

function show(title: string, map: Map<string, number>, count: number): void {
  console.log(`\n== ${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms  ${key}`);
  }
}

const total = [...self.values()].reduce((sum, us) => sum + us, 0);
console.log(
  `sampled ${(total / 1000).toFixed(0)} ms over ${
    ((profile.endTime - profile.startTime) / 1000).toFixed(0)
  } ms`,
);
show("by package or folder (self)", byPackage, 25);
show("by function (self)", byFunction, top);
if (Number(inclusiveText) > 0) show("inclusive", inclusive, Number(inclusiveText));
