// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Records remember the physical
// line they start on so adapter errors can point at it.
export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export function parseCsv(text: string, fileName: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let startLine = 1;
  let inQuotes = false;
  let quotedField = false;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (it is not a one-empty-field record either).
    if (!(fields.length === 1 && fields[0] === "" && !quotedField)) rows.push({ line: startLine, fields });
    fields = [];
    field = "";
    quotedField = false;
  };
  // Runs of ordinary characters are sliced out whole (indexOf / a sticky search for the next special
  // character) rather than appended one by one: the rotation CSVs are 14 MB.
  const special = /[",\r\n]/g;
  while (i < text.length) {
    if (inQuotes) {
      const q = text.indexOf('"', i);
      const chunk = text.slice(i, q < 0 ? text.length : q);
      for (let k = chunk.indexOf("\n"); k >= 0; k = chunk.indexOf("\n", k + 1)) line++;
      field += chunk;
      if (q < 0) { i = text.length; break; }
      if (text[q + 1] === '"') { field += '"'; i = q + 2; continue; }
      inQuotes = false; i = q + 1; continue;
    }
    special.lastIndex = i;
    const next = special.exec(text);
    const j = next ? next.index : text.length;
    if (j > i) {
      if (quotedField) throw new Error(`${fileName}: line ${line}: text after a closing quote (expected , or end of line)`);
      field += text.slice(i, j);
      i = j;
      if (!next) break;
    }
    const c = text[i];
    if (c === '"') {
      if (field !== "") throw new Error(`${fileName}: line ${line}: quote inside an unquoted field (RFC 4180 expects the whole field quoted)`);
      inQuotes = true; quotedField = true; i++; continue;
    }
    if (c === ",") { fields.push(field); field = ""; quotedField = false; i++; continue; }
    if (c === "\r" && text[i + 1] === "\n") { i++; continue; }
    if (c === "\n") { endRecord(); line++; startLine = line; i++; continue; }
    // a lone carriage return is an ordinary character
    if (quotedField) throw new Error(`${fileName}: line ${line}: text after a closing quote (expected , or end of line)`);
    field += c; i++;
  }
  if (inQuotes) throw new Error(`${fileName}: line ${startLine}: unterminated quoted field (file truncated?)`);
  if (field !== "" || fields.length > 0 || quotedField) endRecord();
  if (rows.length === 0) throw new Error(`${fileName}: empty file (expected a CSV header line)`);
  const [head, ...records] = rows;
  const header = head.fields.map((h) => h.trim());
  for (const r of records) {
    if (r.fields.length !== header.length) {
      throw new Error(`${fileName}: line ${r.line}: ${r.fields.length} fields, expected ${header.length} (header: ${header.join(",")})`);
    }
  }
  return { header, records };
}

/** Column index by name, or an error naming the file and the columns it does have. */
export function columnIndex(table: CsvTable, name: string, fileName: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new Error(`${fileName}: missing column "${name}" (columns: ${table.header.join(", ")})`);
  return i;
}
