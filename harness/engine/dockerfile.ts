/** Just enough of a Dockerfile to know its ARGs and which images its stages start FROM. */

export interface Stage {
  /** `AS name`, lower-cased (stage names are case-insensitive). */
  name?: string;
  /** The FROM operand as written, before ARG expansion. */
  from: string;
  /** `COPY --from=` operands as written. */
  copyFrom: string[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  /** Every ARG name declared anywhere. */
  declaredArgs: Set<string>;
  stages: Stage[];
  /** Source operands of COPY and ADD that read the build context (no --from, no URL), as written. */
  contextSources: string[];
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Logical instructions: continuations joined, comments and heredoc bodies dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines[0] ?? '') ? '`' : '\\';
  const result: Instruction[] = [];
  let current = '';
  let heredocEnd: string | undefined;
  for (const line of lines) {
    if (heredocEnd !== undefined) {
      if (line.replace(/^\t+/, '') === heredocEnd) heredocEnd = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && current === '')) continue;
    if (trimmed.endsWith(escape)) {
      current += `${trimmed.slice(0, -1)} `;
      continue;
    }
    current += trimmed;
    const match = /^(\S+)\s*(.*)$/.exec(current);
    if (match?.[1]) {
      result.push({ keyword: match[1].toUpperCase(), args: match[2] ?? '' });
      heredocEnd = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(match[2] ?? '')?.[1];
    }
    current = '';
  }
  return result;
}

/** `ARG A=1 B` → [[A,'1'],[B,undefined]] (quotes around values removed). */
function argDeclarations(args: string): [string, string | undefined][] {
  return args
    .split(/\s+/)
    .filter(Boolean)
    .map((decl) => {
      const eq = decl.indexOf('=');
      if (eq < 0) return [decl, undefined];
      return [decl.slice(0, eq), decl.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2')];
    });
}

/** The sources of `COPY [--flags] <src>... <dest>` or its JSON form; heredocs and URLs are not the context's. */
function copySources(args: string): string[] {
  const rest = args.replace(/^(\s*--\S+)*\s*/, '');
  if (rest.includes('<<')) return [];
  let words: string[];
  try {
    words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
  return words.slice(0, -1).filter((w) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(w));
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const parsed: ParsedDockerfile = { globalArgs: new Map(), declaredArgs: new Set(), stages: [], contextSources: [] };
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'ARG') {
      for (const [name, value] of argDeclarations(args)) {
        parsed.declaredArgs.add(name);
        if (parsed.stages.length === 0) parsed.globalArgs.set(name, value);
      }
    } else if (keyword === 'FROM') {
      const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toLowerCase() === 'as');
      parsed.stages.push({
        from: words[0] ?? '',
        name: asIndex > 0 ? words[asIndex + 1]?.toLowerCase() : undefined,
        copyFrom: [],
      });
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const from = /(?:^|\s)--from=(\S+)/.exec(args)?.[1];
      if (from) parsed.stages.at(-1)?.copyFrom.push(from);
      else parsed.contextSources.push(...copySources(args));
    }
  }
  return parsed;
}

/** Expands $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt} the way FROM lines are expanded. */
export function expandArgs(value: string, vars: Map<string, string | undefined>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const v = vars.get((braced ?? bare) as string);
      if (op === '-') return v ? v : (word ?? '');
      if (op === '+') return v ? (word ?? '') : '';
      return v ?? '';
    });
}

export interface StageImages {
  /** Images the final stage starts FROM (`scratch` included) or copies from, stage references followed. */
  finalBases: string[];
  /** The image at the root of the final stage's FROM chain (`scratch` included): what it builds on. */
  finalFrom: string;
  /** Every image the build may need from the engine (all stages up to the target; classic builds them all). */
  allBases: string[];
}

/** Resolves which external images a build uses, given the build args it will get. */
export function stageImages(parsed: ParsedDockerfile, buildArgs: Record<string, string>, target?: string): StageImages {
  const vars = new Map(parsed.globalArgs);
  for (const [k, v] of Object.entries(buildArgs)) if (vars.has(k)) vars.set(k, v);
  const targetIndex = target ? parsed.stages.findIndex((s) => s.name === target.toLowerCase()) : parsed.stages.length - 1;
  const stages = parsed.stages.slice(0, (targetIndex < 0 ? parsed.stages.length - 1 : targetIndex) + 1);
  const resolved = stages.map((s) => expandArgs(s.from, vars));

  const stageIndex = (ref: string, before: number): number => {
    const named = stages.findIndex((s, i) => i < before && s.name === ref.toLowerCase());
    if (named >= 0) return named;
    return /^\d+$/.test(ref) && Number(ref) < before ? Number(ref) : -1;
  };
  const expanded = (i: number) => [resolved[i] ?? '', ...(stages[i]?.copyFrom ?? []).map((c) => expandArgs(c, vars))];
  const externalRefs = (i: number) => expanded(i).filter((ref) => stageIndex(ref, i) < 0);
  const isScratch = (ref: string) => ref.toLowerCase() === 'scratch';

  // The final stage's filesystem is its FROM chain's: follow stage references to the external image,
  // collecting images copied from (COPY --from=<image>) on the way.
  const finalBases: string[] = [];
  let finalFrom = '';
  for (let i = stages.length - 1, seen = new Set<number>(); i >= 0 && !seen.has(i); i = stageIndex(resolved[i] ?? '', i)) {
    seen.add(i);
    finalBases.push(...externalRefs(i));
    finalFrom = resolved[i] ?? '';
  }
  const unique = (xs: string[]) => [...new Set(xs)];
  const all = stages.flatMap((_s, i) => externalRefs(i)).filter((ref) => !isScratch(ref));
  return { finalBases: unique(finalBases), finalFrom, allBases: unique(all) };
}
