/**
 * The few pieces of the WebAssembly binary format that batch-walk.ts needs to assemble its one
 * function: opcodes with their immediates, and the module around a function. Assembling in code
 * rather than shipping a .wasm file keeps the walk readable next to the layout it reads, and lets
 * it be unrolled over any number of lanes.
 */

export const I32 = 0x7f;

function unsigned(v: number): number[] {
  const bytes: number[] = [];
  do {
    const low = v & 0x7f;
    v >>>= 7;
    bytes.push(v === 0 ? low : low | 0x80);
  } while (v !== 0);
  return bytes;
}

function signed(v: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const low = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (low & 0x40) === 0) || (v === -1 && (low & 0x40) !== 0)) return [...bytes, low];
    bytes.push(low | 0x80);
  }
}

export const op = {
  get: (local: number) => [0x20, ...unsigned(local)],
  set: (local: number) => [0x21, ...unsigned(local)],
  tee: (local: number) => [0x22, ...unsigned(local)],
  i32: (value: number) => [0x41, ...signed(value)],
  eqz: [0x45],
  ltU: [0x49],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geF64: [0x66],
  addF64: [0xa0],
  // Memory access: alignment (log2 bytes), then a constant offset added to the address.
  loadI32: [0x28, 2, 0],
  loadF64: [0x2b, 3, 0],
  storeF64: [0x39, 3, 0],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsigned(depth)],
  brIf: (depth: number) => [0x0d, ...unsigned(depth)],
};

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function name(text: string): number[] {
  return [...unsigned(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * A module that imports its memory as env.memory and exports one function as `exportName`, taking
 * `params` i32 arguments and returning nothing, with `locals` further i32 locals and the given body.
 */
export function moduleWithFunction(exportName: string, params: number, locals: number, body: number[]): Uint8Array {
  const code = [1, ...unsigned(locals), I32, ...body, ...op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, ...unsigned(params), ...new Array<number>(params).fill(I32), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name(exportName), 0x00, 0]),
    ...section(10, [1, ...unsigned(code.length), ...code]),
  ]);
}
