/**
 * The heap layout's batch walk, compiled to WebAssembly. The same walk in JavaScript (each tree
 * over a block of rows, eight rows in lockstep) stayed near 0.8 M rows/s: V8 gives every
 * typed-array read a bounds check, a sign extension and a rebuilt data pointer, and spills the
 * lanes it cannot keep in registers, about 25 machine instructions per step; other lane counts,
 * block sizes, a transposed block, 1-based slots and packed integer codes all stayed at 24 to 28.
 * Wasm reads its memory without those checks, and runs the same walk about 1.5 times as fast.
 *
 * The walk is the one of score.ts, step for step: 2^D - 1 heap slots per tree numbered from 1 (the
 * children of slot n are 2n and 2n + 1), D steps, then the h(x) of the final slot added to the
 * row's sum in tree order, so the sums are the same bits as every other walk's.
 */
import type { HeapForest } from './heap-forest.js';
import { moduleWithFunction, op } from './wasm-module.js';

/** Rows walked side by side through a tree; 8 measured faster than 4, 12 or 16. */
const LANES = 8;

/** Bytes of rows per block: they stay in L1 while every tree walks them. */
const BLOCK_BYTES = 32 * 1024;

// Arguments of the exported walk, then its locals, in wasm local numbering.
const TREES = 0;
const DEPTH = 1;
const SLOTS = 2; // internal slots per tree, 2^D - 1
const FEATURE = 3; // byte addresses of the arrays in memory
const SPLIT = 4;
const LEAF = 5;
const ROWS = 6;
const ROW_BYTES = 7;
const COUNT = 8; // rows in the block, a multiple of LANES
const SUMS = 9;
const PARAMS = 10;
const TREE = PARAMS;
const FEATURE_BASE = PARAMS + 1;
const SPLIT_BASE = PARAMS + 2;
const LEAF_BASE = PARAMS + 3;
const ROW = PARAMS + 4;
const STEP = PARAMS + 5;
const OFFSET = PARAMS + 6; // LANES locals: byte address of each lane's row
const SLOT = OFFSET + LANES; // LANES locals: each lane's heap slot
const LOCALS = SLOT + LANES - PARAMS;

function walkBody(): number[] {
  const b: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) b.push(...p);
  };
  emit(op.i32(0), op.set(TREE), op.block, op.loop);
  emit(op.get(TREE), op.get(TREES), op.ltU, op.eqz, op.brIf(1));
  // Slot n of tree t sits at index t * SLOTS + n - 1; the final slots n in [2^D, 2^(D+1)) map to
  // leaf index t * 2^D + n - 2^D, so each base folds in its tree's offset and the -1 or -2^D.
  emit(op.get(TREE), op.get(SLOTS), op.mul, op.i32(1), op.sub, op.tee(FEATURE_BASE));
  emit(op.i32(3), op.shl, op.get(SPLIT), op.add, op.set(SPLIT_BASE));
  emit(op.get(FEATURE_BASE), op.i32(2), op.shl, op.get(FEATURE), op.add, op.set(FEATURE_BASE));
  emit(op.get(TREE), op.i32(1), op.sub, op.get(SLOTS), op.i32(1), op.add, op.mul);
  emit(op.i32(3), op.shl, op.get(LEAF), op.add, op.set(LEAF_BASE));

  emit(op.i32(0), op.set(ROW), op.block, op.loop);
  emit(op.get(ROW), op.get(COUNT), op.ltU, op.eqz, op.brIf(1));
  emit(op.get(ROW), op.get(ROW_BYTES), op.mul, op.get(ROWS), op.add, op.set(OFFSET));
  for (let i = 1; i < LANES; i++) emit(op.get(OFFSET + i - 1), op.get(ROW_BYTES), op.add, op.set(OFFSET + i));
  for (let i = 0; i < LANES; i++) emit(op.i32(1), op.set(SLOT + i));
  // A forest of single leaves has depth 0 and takes no step.
  emit(op.block, op.get(DEPTH), op.eqz, op.brIf(0), op.get(DEPTH), op.set(STEP), op.loop);
  for (let i = 0; i < LANES; i++) {
    // slot = 2 slot + (row[feature[slot]] >= split[slot]); feature holds byte offsets in a row.
    emit(op.get(SLOT + i), op.i32(1), op.shl);
    emit(op.get(OFFSET + i), op.get(SLOT + i), op.i32(2), op.shl, op.get(FEATURE_BASE), op.add, op.loadI32);
    emit(op.add, op.loadF64);
    emit(op.get(SLOT + i), op.i32(3), op.shl, op.get(SPLIT_BASE), op.add, op.loadF64);
    emit(op.geF64, op.add, op.set(SLOT + i));
  }
  emit(op.get(STEP), op.i32(1), op.sub, op.tee(STEP), op.brIf(0), op.end, op.end);
  for (let i = 0; i < LANES; i++) {
    emit(op.get(ROW), op.i32(i), op.add, op.i32(3), op.shl, op.get(SUMS), op.add, op.tee(STEP));
    emit(op.get(STEP), op.loadF64);
    emit(op.get(SLOT + i), op.i32(3), op.shl, op.get(LEAF_BASE), op.add, op.loadF64);
    emit(op.addF64, op.storeF64);
  }
  emit(op.get(ROW), op.i32(LANES), op.add, op.set(ROW), op.br(0), op.end, op.end);

  emit(op.get(TREE), op.i32(1), op.add, op.set(TREE), op.br(0), op.end, op.end);
  return b;
}

type WalkFunction = (...args: number[]) => void;

/**
 * The part of the WebAssembly global used here: Node has it, but the project's lib (ES2022, no
 * DOM) and @types/node 20 do not declare it.
 */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
};

let compiled: object | undefined;

/**
 * One model's wasm memory: its heap layout (feature indices turned into byte offsets within a
 * row), the block of rows being scored and their path-length sums. Scoring a block allocates
 * nothing.
 */
export class BatchWalk {
  /** Rows per block, a multiple of LANES. */
  readonly blockRows: number;
  /** The block's rows, row-major, inside wasm memory; fill with {@link load}. */
  readonly rows: Float64Array;
  /** Summed h(x) over all trees per row of the block, written by {@link run}. */
  readonly sums: Float64Array;
  private readonly walk: WalkFunction;
  /** The walk's arguments but COUNT, which each {@link run} passes. */
  private readonly args: number[];
  private readonly features: number;

  constructor(heap: HeapForest, trees: number, features: number) {
    this.features = features;
    this.blockRows = Math.max(LANES, Math.floor(BLOCK_BYTES / (8 * features) / LANES) * LANES);
    const rowsAt = 0;
    const sumsAt = rowsAt + this.blockRows * features * 8;
    const splitAt = sumsAt + this.blockRows * 8;
    const leafAt = splitAt + heap.split.length * 8;
    const featureAt = leafAt + heap.leaf.length * 8;
    const bytes = featureAt + heap.feature.length * 4;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    compiled ??= new WebAssembly.Module(moduleWithFunction('walk', PARAMS, LOCALS, walkBody()));
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    this.walk = instance.exports.walk as WalkFunction;
    const buffer = memory.buffer;
    this.rows = new Float64Array(buffer, rowsAt, this.blockRows * features);
    this.sums = new Float64Array(buffer, sumsAt, this.blockRows);
    new Float64Array(buffer, splitAt, heap.split.length).set(heap.split);
    new Float64Array(buffer, leafAt, heap.leaf.length).set(heap.leaf);
    const feature = new Int32Array(buffer, featureAt, heap.feature.length);
    for (let i = 0; i < feature.length; i++) feature[i] = heap.feature[i]! * 8;
    this.args = [trees, heap.depth, heap.internalStride, featureAt, splitAt, leafAt, rowsAt, features * 8, 0, sumsAt];
  }

  /**
   * Copies rows [first, last) of `data` into the block; false, with the block unusable, if one of
   * them holds a NaN, which only the general layout knows where to send.
   */
  load(data: Float64Array, first: number, last: number): boolean {
    const rows = this.rows;
    const from = first * this.features;
    const count = (last - first) * this.features;
    for (let i = 0; i < count; i++) {
      const v = data[from + i]!;
      if (v !== v) return false;
      rows[i] = v;
    }
    return true;
  }

  /** Walks the first `count` rows of the block through every tree into sums[0, count). */
  run(count: number): void {
    const padded = Math.ceil(count / LANES) * LANES;
    // Rows past `count` are walked too, so they must hold numbers; their sums are ignored.
    this.rows.fill(0, count * this.features, padded * this.features);
    this.sums.fill(0, 0, padded);
    const a = this.args;
    this.walk(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, padded, a[9]!);
  }
}
