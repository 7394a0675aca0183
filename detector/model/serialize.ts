/**
 * The model's binary format, version 1 (all integers little-endian):
 *
 *   0  "LSIF"   magic
 *   4  u16      format version
 *   6  u16      flags, 0
 *   8  u32      features
 *  12  u32      sample size ψ
 *  16  u32      trees
 *  20  u16      height limit
 *  22  u16      reserved, 0
 *  24  u32      seed
 *  28  u32      nodes in all trees
 *  32  nodes    each tree breadth-first, trees back to back:
 *               u16 0xFFFF then the leaf's row count as unsigned LEB128, or
 *               u16 feature | (NaN goes right) << 15, then the split as f64
 *  end u32      CRC-32 of every byte before it
 *
 * Child offsets and everything else the walks need are derived on load (flat-forest.ts), so a
 * 100-tree ψ = 256 forest takes about 250 KB. Version and magic are checked before the checksum,
 * so a newer model is refused as newer, not as corrupt.
 */
import { crc32 } from './crc32.js';
import { ModelError } from './errors.js';
import { deriveForest, type FlatForest, type ForestCore } from './flat-forest.js';
import { MAX_FEATURES } from './input.js';

export const FORMAT_VERSION = 1;
const MAGIC = 0x4649534c; // "LSIF" read as a little-endian u32
const HEADER_BYTES = 32;
const TRAILER_BYTES = 4;
const LEAF_TAG = 0xffff;
const NAN_RIGHT_BIT = 0x8000;

export function forestToBytes(forest: ForestCore): Uint8Array {
  const { feature, split, nanRight, size } = forest;
  const nodes = feature.length;
  let length = HEADER_BYTES + TRAILER_BYTES;
  for (let n = 0; n < nodes; n++) length += feature[n]! < 0 ? 2 + leb128Length(size[n]!) : 10;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, forest.features, true);
  view.setUint32(12, forest.sampleSize, true);
  view.setUint32(16, forest.treeCount, true);
  view.setUint16(20, forest.maxDepth, true);
  view.setUint16(22, 0, true);
  view.setUint32(24, forest.seed, true);
  view.setUint32(28, nodes, true);
  let at = HEADER_BYTES;
  for (let n = 0; n < nodes; n++) {
    const f = feature[n]!;
    if (f < 0) {
      view.setUint16(at, LEAF_TAG, true);
      at += 2;
      for (let v = size[n]!; ; ) {
        const low = v & 0x7f;
        v = Math.floor(v / 128);
        bytes[at++] = v > 0 ? low | 0x80 : low;
        if (v === 0) break;
      }
    } else {
      view.setUint16(at, f | (nanRight[n] ? NAN_RIGHT_BIT : 0), true);
      view.setFloat64(at + 2, split[n]!, true);
      at += 10;
    }
  }
  view.setUint32(at, crc32(bytes, 0, at), true);
  return bytes;
}

export function forestFromBytes(bytes: Uint8Array): FlatForest {
  if (!(bytes instanceof Uint8Array)) throw corrupt('expected a Uint8Array');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 6) throw corrupt(`truncated: ${bytes.length} bytes`);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt('not a lowslow isolation forest (bad magic)');
  const version = view.getUint16(4, true);
  if (version > FORMAT_VERSION) {
    throw new ModelError('LOWSLOW_MODEL_VERSION', `format version ${version}, this build reads up to ${FORMAT_VERSION}`);
  }
  if (version < 1) throw corrupt(`format version ${version}`);
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) throw corrupt(`truncated: ${bytes.length} bytes`);
  const end = bytes.length - TRAILER_BYTES;
  if (view.getUint32(end, true) !== crc32(bytes, 0, end)) throw corrupt('checksum mismatch (truncated or altered)');

  const features = view.getUint32(8, true);
  const sampleSize = view.getUint32(12, true);
  const treeCount = view.getUint32(16, true);
  const maxDepth = view.getUint16(20, true);
  const nodes = view.getUint32(28, true);
  if (view.getUint16(6, true) !== 0 || view.getUint16(22, true) !== 0) throw corrupt('reserved header bits set');
  if (features < 1 || features > MAX_FEATURES) throw corrupt(`features ${features}`);
  if (sampleSize < 2 || treeCount < 1 || maxDepth < 1) throw corrupt('empty forest header');
  // Every node takes at least 3 bytes; checked before allocating from a header value.
  if (nodes * 3 > end - HEADER_BYTES || nodes < treeCount) throw corrupt(`node count ${nodes}`);

  const core: ForestCore = {
    features,
    sampleSize,
    maxDepth,
    seed: view.getUint32(24, true),
    treeCount,
    treeStart: new Uint32Array(treeCount + 1),
    feature: new Int32Array(nodes),
    split: new Float64Array(nodes),
    nanRight: new Uint8Array(nodes),
    size: new Uint32Array(nodes),
  };
  let at = HEADER_BYTES;
  let n = 0;
  for (let t = 0; t < treeCount; t++) {
    core.treeStart[t] = n;
    let pending = 1;
    let rows = 0;
    for (; pending > 0; pending--, n++) {
      if (n >= nodes || at + 2 > end) throw corrupt(`tree ${t} runs past the end`);
      const tag = view.getUint16(at, true);
      at += 2;
      if (tag === LEAF_TAG) {
        let value = 0;
        for (let scale = 1; ; scale *= 128) {
          if (at >= end || scale > 2 ** 28) throw corrupt(`leaf size of tree ${t}`);
          const byte = bytes[at++]!;
          value += (byte & 0x7f) * scale;
          if (byte < 0x80) break;
        }
        if (value < 1 || value > sampleSize) throw corrupt(`leaf size ${value} in tree ${t}`);
        core.feature[n] = -1;
        core.size[n] = value;
        rows += value;
        continue;
      }
      const f = tag & ~NAN_RIGHT_BIT;
      if (f >= features || at + 8 > end) throw corrupt(`split node in tree ${t}`);
      const split = view.getFloat64(at, true);
      at += 8;
      if (Number.isNaN(split)) throw corrupt(`NaN split in tree ${t}`);
      core.feature[n] = f;
      core.split[n] = split;
      core.nanRight[n] = tag & NAN_RIGHT_BIT ? 1 : 0;
      pending += 2;
    }
    // The leaves of a tree partition its ψ rows.
    if (rows !== sampleSize) throw corrupt(`tree ${t} holds ${rows} rows, not ${sampleSize}`);
  }
  core.treeStart[treeCount] = n;
  if (n !== nodes || at !== end) throw corrupt('node count or length does not match the trees');
  const forest = deriveForest(core);
  for (let t = 0; t < treeCount; t++) {
    if (forest.treeDepth[t]! > maxDepth) throw corrupt(`tree ${t} is deeper than the height limit`);
  }
  return forest;
}

function leb128Length(v: number): number {
  let length = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    length++;
  }
  return length;
}

function corrupt(detail: string): ModelError {
  return new ModelError('LOWSLOW_MODEL_CORRUPT', detail);
}
