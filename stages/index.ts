// The stage catalog: `type:` name in pipeline.yaml -> module (project-relative) whose default export is a StageType.
// The engine imports a module only when a stage of that type is used. Keep entries sorted.
export const stageCatalog: Record<string, string> = {
};
