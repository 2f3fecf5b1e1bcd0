// One pass over the paper's markdown that finds what the renderer and the checks need: every {{...}}
// placeholder with its line, section and sentence, the "prose" of each line (code, comments, placeholders and
// link targets blanked out, so a number there is not prose), and the published-quote blocks.
// Columns are preserved when blanking, so error positions point into the original file.

export interface PlaceholderSite {
  /** Index in document order. */
  index: number;
  /** Text between the braces. */
  body: string;
  line: number;
  column: number;
  /** Offset of "{{" in the whole document and offset just after "}}". */
  start: number;
  end: number;
  /** Text of the nearest heading above (without #'s), "" before the first heading. */
  section: string;
  /** The sentence around it, as written (placeholders kept), whitespace collapsed. */
  sentence: string;
  /** Inside a `:::published` block. */
  published: boolean;
}

export interface ProseLine {
  line: number;
  /** The line with non-prose blanked to spaces; "" for lines that are not prose at all. */
  prose: string;
  heading: boolean;
}

export interface PublishedBlock {
  startLine: number;
  endLine: number;
  /** Text after `:::published` on the opening line (e.g. a source attribution). */
  label: string;
}

export interface ScannedMarkdown {
  placeholders: PlaceholderSite[];
  prose: ProseLine[];
  published: PublishedBlock[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const PUBLISHED_OPEN = /^:::\s*published\b(.*)$/;
const CONTAINER_CLOSE = /^:::\s*$/;

export function scanMarkdown(markdown: string): ScannedMarkdown {
  const lines = markdown.split("\n");
  const offsets: number[] = [];
  let acc = 0;
  for (const l of lines) { offsets.push(acc); acc += l.length + 1; }

  const placeholders: PlaceholderSite[] = [];
  const prose: ProseLine[] = [];
  const published: PublishedBlock[] = [];
  let fence: string | undefined;
  let inComment = false;
  let openPublished: PublishedBlock | undefined;
  let section = "";
  // Paragraph bookkeeping for sentences: masked and original text of the current paragraph.
  let para: { sites: PlaceholderSite[]; text: string; masked: string; starts: number[] } = { sites: [], text: "", masked: "", starts: [] };
  const flush = () => {
    for (const site of para.sites) site.sentence = sentenceAround(para, site);
    para = { sites: [], text: "", masked: "", starts: [] };
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    const lineNo = i + 1;
    if (fence !== undefined) {
      if (new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(raw)) fence = undefined;
      prose.push({ line: lineNo, prose: "", heading: false });
      continue;
    }
    const f = FENCE.exec(raw);
    if (f && !inComment) {
      flush();
      fence = f[1]!;
      prose.push({ line: lineNo, prose: "", heading: false });
      continue;
    }
    const pub = PUBLISHED_OPEN.exec(raw);
    if (pub && !inComment) {
      flush();
      if (openPublished) throw new Error(`line ${lineNo}: :::published blocks do not nest (opened on line ${openPublished.startLine})`);
      openPublished = { startLine: lineNo, endLine: -1, label: pub[1]!.trim() };
      prose.push({ line: lineNo, prose: "", heading: false });
      continue;
    }
    if (CONTAINER_CLOSE.test(raw) && openPublished && !inComment) {
      flush();
      openPublished.endLine = lineNo;
      published.push(openPublished);
      openPublished = undefined;
      prose.push({ line: lineNo, prose: "", heading: false });
      continue;
    }

    const heading = !inComment && /^ {0,3}#{1,6}\s/.test(raw);
    if (heading) {
      flush();
      section = raw.replace(/^ {0,3}#{1,6}\s+/, "").replace(/\s+#+\s*$/, "").trim();
    }
    // A list item starts its own sentence context: a sentence never runs across two bullets.
    if (!heading && !inComment && /^\s*(?:[-*+]|\d+[.)])\s/.test(raw)) flush();
    const paraBase = para.text ? para.text.length + 1 : 0;
    // Blank out comments, code spans and placeholders on this line, left to right.
    const chars = raw.split("");
    const blank = (from: number, to: number) => { for (let k = from; k < to; k++) chars[k] = " "; };
    let pos = 0;
    while (pos < raw.length) {
      if (inComment) {
        const close = raw.indexOf("-->", pos);
        const stop = close < 0 ? raw.length : close + 3;
        blank(pos, stop);
        pos = stop;
        if (close >= 0) inComment = false;
        continue;
      }
      const c = raw[pos]!;
      if (raw.startsWith("<!--", pos)) { inComment = true; continue; }
      if (c === "\\" && pos + 1 < raw.length) { pos += 2; continue; }
      if (c === "`") {
        const run = /^`+/.exec(raw.slice(pos))![0];
        const close = raw.indexOf(run, pos + run.length);
        if (close >= 0) {
          blank(pos, close + run.length);
          pos = close + run.length;
        } else pos += run.length;
        continue;
      }
      if (raw.startsWith("{{", pos)) {
        const close = raw.indexOf("}}", pos + 2);
        if (close < 0) throw new Error(`line ${lineNo}:${pos + 1}: "{{" without a closing "}}" on the same line`);
        const site: PlaceholderSite = {
          index: placeholders.length, body: raw.slice(pos + 2, close), line: lineNo, column: pos + 1,
          start: offsets[i]! + pos, end: offsets[i]! + close + 2, section, sentence: "", published: openPublished !== undefined,
        };
        placeholders.push(site);
        para.sites.push(site);
        para.starts.push(paraBase + pos);
        blank(pos, close + 2);
        pos = close + 2;
        continue;
      }
      pos++;
    }
    let masked = chars.join("");
    // Link targets and bare URLs are addresses, not prose.
    masked = masked.replace(/\]\([^)]*\)/g, (m) => "]" + " ".repeat(m.length - 1));
    masked = masked.replace(/<?https?:\/\/[^\s>)]+>?/g, (m) => " ".repeat(m.length));
    if (raw.trim() === "") flush();
    else {
      para.text += (para.text ? " " : "") + raw;
      para.masked += (para.masked ? " " : "") + masked.replace(/[{}]/g, " ");
    }
    prose.push({ line: lineNo, prose: openPublished ? "" : masked, heading });
    if (heading) flush();
  }
  flush();
  if (fence !== undefined) throw new Error(`unclosed code fence ${fence}`);
  if (openPublished) throw new Error(`line ${openPublished.startLine}: :::published block is not closed with ":::"`);
  return { placeholders, prose, published };
}

// Sentence boundaries are found in the masked paragraph, so dots inside ids ({{math-l5.beta}}) and code do not
// split a sentence; a boundary also needs a capital letter next and no abbreviation ("i.e.", "et al.") before it.
const ABBREVIATION = /(?:\b(?:e\.g|i\.e|et al|cf|vs|Fig|Eq|Sec|resp|approx)\.|\b\p{L}\.)$/u;

function sentenceAround(para: { sites: PlaceholderSite[]; text: string; masked: string; starts: number[] }, site: PlaceholderSite): string {
  const at = para.starts[para.sites.indexOf(site)]!;
  let from = 0;
  let to = para.text.length;
  for (const m of para.masked.matchAll(/[.!?]\s+/g)) {
    const end = m.index! + 1;
    const next = para.text.slice(m.index! + m[0].length);
    if (!/^[*_"'(\[]*\p{Lu}/u.test(next) || ABBREVIATION.test(para.text.slice(0, end))) continue;
    if (end <= at) from = end;
    else { to = end; break; }
  }
  return para.text.slice(from, to).replace(/\s+/g, " ").trim();
}
