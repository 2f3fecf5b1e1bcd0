// Truncation signs of one response: it has no final answer and the output never closes. ZeroEval asks for a JSON
// object ({"reasoning": ..., "answer": ...}); a generation cut at the token budget stops inside it.
export function looksTruncated(response: string, hasFinalAnswer: boolean): boolean {
  if (hasFinalAnswer) return false;
  const tail = response.trimEnd().replace(/`{3}\s*$/, "").trimEnd();
  return tail.length > 0 && !/[}\]]$/.test(tail);
}
