import tableFile from '../data/model-ids.json' with { type: 'json' };

/** What the built-in table says of an id. Only `deprecated` ids are replaced. */
export type ModelIdKind =
  | 'deprecated'
  | 'unsupported'
  | 'embedding'
  | 'embedding-current'
  | 'current'
  | 'current-latest';

export interface ModelIdVerdict {
  /** The string as written, e.g. `models/gemini-1.5-flash-latest`. */
  value: string;
  kind: ModelIdKind;
  /** The full replacement string (prefix kept) when the id is to be swapped. */
  replacement?: string;
  note?: string;
}

interface Rule {
  regex: RegExp;
  kind: ModelIdKind;
  note?: string;
}

export interface ModelTable {
  checked: string;
  defaultReplacement: string;
  rules: Rule[];
  /** User overrides from `--model-map`: exact ids first, then `*` globs, in file order. */
  overrides: Array<{ match: (bareId: string) => boolean; exact: boolean; to: string }>;
}

interface TableFile {
  checked: string;
  replacement: string;
  rules: Array<{ pattern: string; kind: ModelIdKind; note?: string }>;
}

const MODEL_ID_SHAPE = /^[A-Za-z0-9][\w.\-/]*$/;

export class ModelMapError extends Error {}

export function loadModelTable(modelMapJson?: { path: string; text: string }): ModelTable {
  const file = tableFile as TableFile;
  return {
    checked: file.checked,
    defaultReplacement: file.replacement,
    rules: file.rules.map((r) => ({ regex: new RegExp(r.pattern), kind: r.kind, note: r.note })),
    overrides: modelMapJson ? parseModelMap(modelMapJson.path, modelMapJson.text) : [],
  };
}

/** `--model-map` file: `{ "gemini-1.5-pro": "gemini-3.1-pro-preview", "gemini-1.5-*": "...", "*": "..." }`. */
export function parseModelMap(path: string, text: string): ModelTable['overrides'] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ModelMapError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ModelMapError(`${path}: expected an object mapping old model ids to new ones`);
  }
  const entries = Object.entries(data as Record<string, unknown>);
  const out: ModelTable['overrides'] = [];
  for (const [from, to] of entries) {
    if (typeof to !== 'string' || !MODEL_ID_SHAPE.test(to)) {
      throw new ModelMapError(`${path}: the replacement for "${from}" must be a model id string`);
    }
    const bareFrom = stripModelsPrefix(from).bare;
    if (bareFrom.includes('*')) {
      const re = new RegExp('^' + bareFrom.split('*').map(escapeRegExp).join('.*') + '$');
      out.push({ match: (id) => re.test(id), exact: false, to: stripModelsPrefix(to).bare });
    } else {
      out.push({ match: (id) => id === bareFrom, exact: true, to: stripModelsPrefix(to).bare });
    }
  }
  // Exact ids win over globs whatever their order in the file.
  return [...out.filter((o) => o.exact), ...out.filter((o) => !o.exact)];
}

export function stripModelsPrefix(value: string): { prefix: string; bare: string } {
  return value.startsWith('models/') ? { prefix: 'models/', bare: value.slice(7) } : { prefix: '', bare: value };
}

/** Classifies a string that may be a Gemini model id; `undefined` when the table does not know it. */
export function classifyModelId(value: string, table: ModelTable): ModelIdVerdict | undefined {
  const { prefix, bare } = stripModelsPrefix(value);
  const rule = table.rules.find((r) => r.regex.test(bare));
  const exact = table.overrides.find((o) => o.exact && o.match(bare));
  // An exact override is explicit intent, so it applies to any known id; globs only to deprecated ones.
  if (exact && rule) {
    return exact.to === bare ? { value, kind: rule.kind, note: rule.note } : { value, kind: 'deprecated', replacement: prefix + exact.to };
  }
  if (!rule) return undefined;
  if (rule.kind !== 'deprecated') return { value, kind: rule.kind, note: rule.note };
  const glob = table.overrides.find((o) => !o.exact && o.match(bare));
  return { value, kind: 'deprecated', replacement: prefix + (glob?.to ?? table.defaultReplacement) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
