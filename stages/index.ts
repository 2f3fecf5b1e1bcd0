// The stage catalog: `type:` name in pipeline.yaml -> module (project-relative) whose default export is a StageType.
// The engine imports a module only when a stage of that type is used. Keep entries sorted.
export const stageCatalog: Record<string, string> = {
  agreement: "stages/agreement.ts",
  "beta-k": "stages/beta-k.ts",
  cofailure: "stages/cofailure.ts",
  copula: "stages/copula.ts",
  "fig-artifact-atom": "stages/fig-artifact-atom.ts",
  "fig-beta-k": "stages/fig-beta-k.ts",
  "fig-beta-k-all": "stages/fig-beta-k-all.ts",
  "fig-headroom": "stages/fig-headroom.ts",
  "fig-tetrachoric-heatmap": "stages/fig-tetrachoric-heatmap.ts",
  "format-subject": "stages/format-subject.ts",
  grade: "stages/grade.ts",
  ingest: "stages/ingest.ts",
  "judge-panel": "stages/judge-panel.ts",
  "non-identifiability": "stages/non-identifiability.ts",
  paper: "stages/paper.ts",
  pool: "stages/pool.ts",
  "pool-summary": "stages/pool-summary.ts",
  routing: "stages/routing.ts",
  "self-moa": "stages/self-moa.ts",
};
