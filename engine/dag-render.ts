// The stage graph as text: ASCII (layers by longest upstream path), Mermaid, Graphviz dot, or JSON for scripts.
import { topoOrder } from "./dag.js";
import type { PipelineSpec } from "./spec.js";

export function renderDag(spec: PipelineSpec, format: "ascii" | "mermaid" | "dot" | "json"): string {
  const order = topoOrder(spec.deps);
  const edges: { from: string; to: string; label: string }[] = [];
  for (const id of order) {
    for (const [name, input] of Object.entries(spec.stages[id]!.inputs)) {
      for (const r of input.refs) edges.push({ from: r.kind === "dataset" ? `dataset:${r.dataset}` : r.stage, to: id, label: r.kind === "dataset" ? name : `${r.output} -> ${name}` });
    }
  }
  const datasets = Object.keys(spec.datasets).sort();
  if (format === "mermaid") {
    const nid = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");
    return ["flowchart TD",
      ...datasets.map((d) => `  ${nid("dataset:" + d)}[("dataset ${d}")]`),
      ...order.map((id) => `  ${nid(id)}["${id}<br/>${spec.stages[id]!.type}${spec.stages[id]!.foreach ? " (foreach)" : ""}"]`),
      ...edges.map((e) => `  ${nid(e.from)} -->|${e.label}| ${nid(e.to)}`)].join("\n");
  }
  if (format === "dot") {
    return ["digraph cofail {", "  rankdir=LR;",
      ...datasets.map((d) => `  "dataset:${d}" [shape=cylinder];`),
      ...order.map((id) => `  "${id}" [shape=box, label="${id}\\n${spec.stages[id]!.type}"];`),
      ...edges.map((e) => `  "${e.from}" -> "${e.to}" [label="${e.label}"];`), "}"].join("\n");
  }
  const depth = new Map<string, number>();
  for (const id of order) depth.set(id, Math.max(0, ...[...spec.deps.get(id)!].map((u) => depth.get(u)! + 1)));
  if (format === "json") {
    return JSON.stringify({
      datasets: datasets.map((d) => ({ name: d, ...spec.datasets[d] })),
      stages: order.map((id) => {
        const d = spec.stages[id]!;
        return {
          id, type: d.type, layer: depth.get(id)!, ...(d.foreach ? { foreach: d.foreach } : {}), params: d.params,
          inputs: Object.fromEntries(Object.entries(d.inputs).map(([n, i]) => [n, i.refs.map((r) => r.ref)])),
          upstream: [...spec.deps.get(id)!].sort(),
        };
      }),
      edges,
    }, null, 2);
  }
  const lines = datasets.map((d) => `dataset:${d}  (${spec.datasets[d]!.files ? "files" : "local"})`);
  for (const id of order) {
    const d = spec.stages[id]!;
    const ins = edges.filter((e) => e.to === id).map((e) => e.from);
    // Indented by layer (longest upstream path), in topological order; the arrow lists the real parents.
    lines.push(`[${depth.get(id)!}] ${"  ".repeat(depth.get(id)!)}${id} (${d.type}${d.foreach ? `, foreach ${d.foreach}` : ""})${ins.length ? "  <- " + [...new Set(ins)].join(", ") : ""}`);
  }
  return lines.join("\n");
}
