/*
 * The widget's side of tRPC's data transformer: superjson's wire format (`{ json, meta }`,
 * format version 1), reduced to what the widget's procedures carry — Dates, and the
 * `undefined`, NaN and ±Infinity any JSON value may hold. The superjson library weighs a
 * third of the API client and the rest of it (Maps, Sets, classes, shared references) never
 * crosses this wire; an annotation this reader does not know fails loudly rather than
 * handing the widget a wrong value. The server keeps superjson itself, and the tests feed
 * this reader superjson's own output.
 */

/** superjson's `meta.values`: a type at a node, and/or subtrees under (dotted) paths. */
type Annotations = [unknown, Subtrees?] | Subtrees;
interface Subtrees {
  [path: string]: Annotations;
}

interface Serialized {
  json: unknown;
  meta?: { values?: Annotations; v?: number };
}

/** `a.b\.c` → ['a', 'b.c'] (superjson escapes dots and backslashes in keys). */
function parsePath(path: string): string[] {
  const segments: string[] = [];
  let segment = '';
  for (let i = 0; i < path.length; i++) {
    const char = path.charAt(i);
    const next = path.charAt(i + 1);
    if (char === '\\' && (next === '.' || next === '\\')) {
      segment += next;
      i++;
    } else if (char === '.') {
      segments.push(segment);
      segment = '';
    } else {
      segment += char;
    }
  }
  segments.push(segment);
  return segments;
}

function revive(type: unknown, value: unknown): unknown {
  if (type === 'Date') return new Date(value as string);
  if (type === 'undefined') return undefined;
  if (type === 'number') return Number(value);
  throw new Error(`The server sent a value the widget cannot read (${JSON.stringify(type)})`);
}

type Tree = Record<string, unknown>;

/** Replaces the value at `path` under `root` by `change(value)`; returns the new root. */
function setDeep(root: unknown, path: string[], change: (value: unknown) => unknown): unknown {
  if (path.length === 0) return change(root);
  let parent = root as Tree;
  for (const key of path.slice(0, -1)) parent = parent[key] as Tree;
  const last = path[path.length - 1]!;
  parent[last] = change(parent[last]);
  return root;
}

function walk(
  tree: Annotations | undefined,
  origin: string[],
  visit: (type: unknown, path: string[]) => void,
): void {
  if (!tree) return;
  const children = Array.isArray(tree) ? tree[1] : tree;
  for (const [key, child] of Object.entries(children ?? {})) {
    walk(child, [...origin, ...parsePath(key)], visit);
  }
  if (Array.isArray(tree)) visit(tree[0], origin);
}

export const wire = {
  /**
   * The widget sends plain JSON (strings, numbers, no Dates): superjson reads it as is. No
   * input at all is written as superjson writes it, `json: null` marked undefined (a payload
   * without `json` is refused).
   */
  serialize: (value: unknown): Serialized =>
    value === undefined ? { json: null, meta: { values: ['undefined'], v: 1 } } : { json: value },
  deserialize(payload: unknown): unknown {
    const { json, meta } = payload as Serialized;
    if (meta?.v !== undefined && meta.v !== 1) throw new Error('Unknown superjson format');
    let value = json;
    walk(meta?.values, [], (type, path) => {
      value = setDeep(value, path, (at) => revive(type, at));
    });
    return value;
  },
};
