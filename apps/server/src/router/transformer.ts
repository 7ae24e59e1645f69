import type { CombinedDataTransformer } from '@trpc/server';
import superjson from 'superjson';

/*
 * The API's transformer: superjson, with every input checked before superjson touches it.
 * superjson walks its metadata recursively and trusts its shape, so a few bytes of hostile
 * metadata (`"values": "zzz"`) used to recurse until the stack gave out, and a typed-array
 * annotation could allocate without bound. Every check here is iterative and bounded, and
 * runs on the parsed JSON before anything is built from it.
 */

export const INPUT_LIMITS = {
  /** Nesting of objects and arrays in one input (the deepest contract needs 4). */
  maxDepth: 20,
  /** Objects, arrays and values in one input. */
  maxNodes: 20_000,
  /** Nodes of the metadata's value-annotation tree. */
  maxAnnotations: 500,
  /** Paths in the metadata's referential-equality annotations. */
  maxReferences: 100,
} as const;

/**
 * The value annotations an input may carry: `undefined` (an optional field left out),
 * `number` (NaN, ±Infinity, -0) and `Date`. No input takes maps, sets, regular expressions,
 * errors, classes, symbols or typed arrays, so none is accepted.
 */
const INPUT_ANNOTATIONS = new Set(['undefined', 'number', 'Date']);

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** An input the API refuses to read. The message is safe to show to anyone. */
export class MalformedInputError extends Error {
  override name = 'MalformedInputError';
}

function refuse(message: string): never {
  throw new MalformedInputError(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Depth and size of a parsed JSON value, without recursion. */
export function checkJsonShape(value: unknown, limits = INPUT_LIMITS): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) refuse('This request holds too many values.');
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limits.maxDepth) refuse(`This request is nested too deeply (at most ${limits.maxDepth} levels).`);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
      else if (++nodes > limits.maxNodes) refuse('This request holds too many values.');
    }
  }
}

/**
 * The segments of a superjson path (`a.b\.c` → `a`, `b.c`), as superjson reads them:
 * escapes from version 1 on, plain dots before.
 */
function pathSegments(path: string, escapes: boolean): string[] {
  if (!escapes) return path.split('.');
  const segments: string[] = [];
  let segment = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (char === '\\') {
      const next = path[i + 1];
      if (next !== '\\' && next !== '.') refuse('The request metadata holds a malformed path.');
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

function checkedPath(path: unknown, escapes: boolean, limits: typeof INPUT_LIMITS): string[] {
  if (typeof path !== 'string') refuse('The request metadata holds a malformed path.');
  const segments = pathSegments(path, escapes);
  if (segments.length > limits.maxDepth) refuse('The request metadata holds a path that is too deep.');
  if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) refuse('The request metadata holds a forbidden path.');
  return segments;
}

/**
 * A value-annotation tree is `[annotation]`, `[annotation, {path: tree}]` or `{path: tree}`;
 * nothing else. Walked with a stack, bounded in nodes and in the depth of the paths.
 */
function checkValueAnnotations(tree: unknown, escapes: boolean, limits: typeof INPUT_LIMITS): void {
  const stack: Array<[unknown, number]> = [[tree, 0]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (++nodes > limits.maxAnnotations) refuse('The request metadata is too large.');
    let children: unknown = node;
    if (Array.isArray(node)) {
      if (node.length < 1 || node.length > 2) refuse('The request metadata is malformed.');
      const annotation = node[0];
      if (typeof annotation !== 'string' || !INPUT_ANNOTATIONS.has(annotation)) {
        refuse('The request uses a value type the API does not accept.');
      }
      if (node.length === 1) continue;
      children = node[1];
    }
    if (!isPlainObject(children)) refuse('The request metadata is malformed.');
    for (const [path, child] of Object.entries(children)) {
      const childDepth = depth + checkedPath(path, escapes, limits).length;
      if (childDepth > limits.maxDepth) refuse('The request metadata holds a path that is too deep.');
      stack.push([child, childDepth]);
    }
  }
}

/**
 * Referential equalities say "this path holds the same object as that one". Inputs may
 * repeat an object, but never contain themselves: the form that points back at the root is
 * refused, and so is a path inside the object it would copy (both would make a cycle).
 */
function checkReferences(annotations: unknown, escapes: boolean, limits: typeof INPUT_LIMITS): void {
  if (!isPlainObject(annotations)) refuse('The request metadata is malformed.');
  let count = 0;
  for (const [path, identical] of Object.entries(annotations)) {
    const source = checkedPath(path, escapes, limits);
    if (!Array.isArray(identical)) refuse('The request metadata is malformed.');
    for (const other of identical) {
      if (++count > limits.maxReferences) refuse('The request metadata is too large.');
      const target = checkedPath(other, escapes, limits);
      const shorter = Math.min(source.length, target.length);
      if (source.slice(0, shorter).every((segment, i) => segment === target[i])) {
        refuse('The request metadata is malformed.');
      }
    }
  }
}

/** The metadata superjson sends: `{ values?, referentialEqualities?, v? }`, checked in full. */
export function checkMeta(meta: unknown, limits = INPUT_LIMITS): void {
  if (meta === undefined) return;
  if (!isPlainObject(meta)) refuse('The request metadata is malformed.');
  for (const key of Object.keys(meta)) {
    if (key !== 'values' && key !== 'referentialEqualities' && key !== 'v') refuse('The request metadata is malformed.');
  }
  const version = meta.v ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > 10) {
    refuse('The request metadata is malformed.');
  }
  const escapes = version >= 1;
  if (meta.values !== undefined) checkValueAnnotations(meta.values, escapes, limits);
  if (meta.referentialEqualities !== undefined) checkReferences(meta.referentialEqualities, escapes, limits);
}

/** One procedure's input as a superjson client sends it: `{ json, meta? }`. */
export function checkInputPayload(payload: unknown, limits = INPUT_LIMITS): void {
  if (!isPlainObject(payload) || !('json' in payload)) refuse('Send the input as {"json": …}, the way the API client does.');
  for (const key of Object.keys(payload)) {
    if (key !== 'json' && key !== 'meta') refuse('Send the input as {"json": …}, the way the API client does.');
  }
  checkJsonShape(payload.json, limits);
  checkMeta(payload.meta, limits);
}

export const transformer: CombinedDataTransformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (payload: unknown) => {
      checkInputPayload(payload);
      return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
    },
  },
  output: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (payload: unknown) => superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]),
  },
};
