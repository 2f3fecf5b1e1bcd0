// GPQA-Diamond join keys and subject domains across formats. Every source's item id carries the GPQA Record ID
// ("rec" + 14 alphanumerics; adapters write "gpqa-<Record ID>"), so that is the join key between the multiple
// choice and the free-response pools even if a source or a user's file prefixes it differently.
/**
 * GPQA subdomain -> coarse domain. The 13 subdomains of GPQA-Diamond (Rein et al. 2023, `Subdomain` column) fall
 * into the three high-level domains of the paper's `High-level domain` column; Diamond has 86 physics,
 * 93 chemistry and 19 biology questions.
 */
export const gpqaDomainOfSubdomain: Record<string, "Physics" | "Chemistry" | "Biology"> = {
  "Quantum Mechanics": "Physics",
  "Relativistic Mechanics": "Physics",
  "Physics (general)": "Physics",
  "High-energy particle physics": "Physics",
  "Astrophysics": "Physics",
  "Electromagnetism and Photonics": "Physics",
  "Condensed Matter Physics": "Physics",
  "Optics and Acoustics": "Physics",
  "Statistical Mechanics": "Physics",
  "Organic Chemistry": "Chemistry",
  "Chemistry (general)": "Chemistry",
  "Inorganic Chemistry": "Chemistry",
  "Analytical Chemistry": "Chemistry",
  "Physical Chemistry": "Chemistry",
  "Molecular Biology": "Biology",
  "Genetics": "Biology",
};

const RECORD_ID = /rec[A-Za-z0-9]{14}/;

/** The GPQA Record ID inside an item id, or the id itself when it has none (non-GPQA items join on the id). */
export function gpqaJoinKey(itemId: string): string {
  return RECORD_ID.exec(itemId)?.[0] ?? itemId;
}

export type GpqaDomain = "physics" | "chemistry" | "biology";
export const GPQA_DOMAINS: readonly GpqaDomain[] = ["physics", "chemistry", "biology"];

/**
 * High-level domain of a GPQA subject label: the domain itself ("Physics", any case) or one of GPQA's
 * subdomains ("Organic Chemistry"), mapped with the adapters' table; undefined when unknown.
 */
export function gpqaDomain(subject: string | number | boolean | undefined): GpqaDomain | undefined {
  if (typeof subject !== "string") return undefined;
  const s = subject.trim();
  const lower = s.toLowerCase();
  if ((GPQA_DOMAINS as readonly string[]).includes(lower)) return lower as GpqaDomain;
  const viaSubdomain = Object.entries(gpqaDomainOfSubdomain).find(([k]) => k.toLowerCase() === lower)?.[1];
  return viaSubdomain?.toLowerCase() as GpqaDomain | undefined;
}
